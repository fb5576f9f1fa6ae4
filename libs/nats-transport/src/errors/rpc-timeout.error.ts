import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../nats-transport.messages.js';

/**
 * No reply came within the timeout: the caller's wait ran out, the handler did not finish
 * within its own `@Rpc` timeout, or the request waited in a bulkhead's queue past its deadline
 * without running (`data.side` tells which: `caller`, `handler`, `queue`).
 */
export class RpcTimeoutError extends CliffracerError {
  override readonly name = 'RpcTimeoutError';

  constructor(
    readonly subject: string,
    readonly timeoutMs: number,
    side: 'caller' | 'handler' | 'queue' = 'caller',
  ) {
    super(MESSAGES.timedOut(side, subject, timeoutMs), {
      code: 'RPC_TIMEOUT',
      data: { subject, timeoutMs, side },
    });
  }
}
