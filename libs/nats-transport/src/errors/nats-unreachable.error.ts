import { CliffracerError } from '@cliffracer/common';

/**
 * A server gave up waiting for NATS at start: no server of `servers` accepted a connection
 * within `connectRetry.maxWaitMs`. The message is one line an operator can act on.
 */
export class NatsUnreachableError extends CliffracerError {
  override readonly name = 'NatsUnreachableError';

  constructor(
    readonly servers: string[],
    readonly attempts: number,
    readonly waitedMs: number,
    options: ErrorOptions = {},
  ) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`NATS not reachable at ${servers.join(',')} after ${attempts} attempt(s) in ${waitedMs}ms${reason}`, {
      code: 'NATS_UNREACHABLE',
      data: { servers, attempts, waitedMs },
      cause: options.cause,
    });
  }
}
