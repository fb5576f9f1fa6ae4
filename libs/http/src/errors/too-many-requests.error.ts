import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../http-front-door.messages.js';

/**
 * A caller went past a rate limit (`CallerThrottlerGuard`): `TOO_MANY_REQUESTS`, 429 over
 * HTTP and in the NATS error header. `retryAfterSec` says when the limit lets it through again.
 */
export class TooManyRequestsError extends CliffracerError {
  override readonly name = 'TooManyRequestsError';

  constructor(readonly retryAfterSec: number) {
    super(MESSAGES.tooManyRequests(retryAfterSec), { code: 'TOO_MANY_REQUESTS', data: { retryAfterSec } });
  }
}
