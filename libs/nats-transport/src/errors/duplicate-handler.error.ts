import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../nats-transport.messages.js';

/** Two handlers claim the same RPC: the second would silently replace the first. */
export class DuplicateHandlerError extends CliffracerError {
  override readonly name = 'DuplicateHandlerError';

  constructor(readonly pattern: string) {
    super(MESSAGES.duplicateRpc(pattern), { code: 'DUPLICATE_HANDLER' });
  }
}
