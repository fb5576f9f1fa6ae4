import { CliffracerError, type Json } from '@cliffracer/common';

/**
 * A remote handler failed with an error this caller has no class for.
 * `remoteName` and `code` are the remote error's own.
 */
export class RemoteError extends CliffracerError {
  override readonly name = 'RemoteError';

  constructor(
    readonly remoteName: string,
    message: string,
    code: string,
    readonly subject: string,
    data?: Json,
  ) {
    super(message, { code, data });
  }
}
