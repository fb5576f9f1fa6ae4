import { CliffracerError } from '@cliffracer/common';

/**
 * No valid token: missing, malformed, expired, badly signed, for another issuer or audience.
 * Without a `reason` it says only "unauthorized": what the guard tells callers unless
 * `revealFailureReasons` is on (the reason goes to the server log instead).
 */
export class UnauthorizedError extends CliffracerError {
  override readonly name = 'UnauthorizedError';

  constructor(readonly reason?: string) {
    super(reason === undefined ? 'unauthorized' : `unauthorized: ${reason}`, { code: 'UNAUTHORIZED', ...(reason !== undefined && { data: { reason } }) });
  }
}
