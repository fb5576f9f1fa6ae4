import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../timers.messages.js';

/** Two timers of one application share a name. */
export class DuplicateTimerError extends CliffracerError {
  override readonly name = 'DuplicateTimerError';

  constructor(readonly timer: string) {
    super(MESSAGES.duplicateTimer(timer), { code: 'DUPLICATE_TIMER' });
  }
}
