import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../nats-transport.messages.js';

/**
 * No reply came within the timeout: either the caller's wait ran out, or the handler
 * did not finish within its own `@Rpc` timeout (`data.side` tells which).
 */
export class RpcTimeoutError extends CliffracerError {
  override readonly name = 'RpcTimeoutError';

  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
    side: 'caller' | 'handler' = 'caller',
  ) {
    super(side === 'caller' ? MESSAGES.rpcTimedOut(subject, timeoutMs) : MESSAGES.handlerTimedOut(subject, timeoutMs), {
      code: 'RPC_TIMEOUT',
      data: { subject, timeoutMs, side },
    });
  }
}
