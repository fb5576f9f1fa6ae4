import { CliffracerError } from '@cliffracer/common';

/** No valid token: missing, malformed, expired, badly signed, for another issuer or audience. */
export class UnauthorizedError extends CliffracerError {
  override readonly name = 'UnauthorizedError';

  constructor(readonly reason: string) {
    super(`unauthorized: ${reason}`, { code: 'UNAUTHORIZED', data: { reason } });
  }
}
