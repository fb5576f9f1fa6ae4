import { CliffracerError } from '@cliffracer/common';

/** More work arrived than the service queues: refused at once instead of held in memory. */
export class OverloadedError extends CliffracerError {
  override readonly name = 'OverloadedError';

  constructor(
    readonly subject: string,
    message: string,
  ) {
    super(message, { code: 'OVERLOADED' });
  }
}
