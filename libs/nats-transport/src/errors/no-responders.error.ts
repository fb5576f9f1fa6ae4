import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../nats-transport.messages.js';

/** Nothing listens on the subject: NATS answers this at once, without waiting for the timeout. */
export class NoRespondersError extends CliffracerError {
  override readonly name = 'NoRespondersError';

  constructor(
    readonly subject: string,
    options: ErrorOptions = {},
  ) {
    super(MESSAGES.noResponders(subject), { code: 'NO_RESPONDERS', data: { subject }, cause: options.cause });
  }
}
