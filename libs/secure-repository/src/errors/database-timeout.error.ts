import { CliffracerError } from '@cliffracer/common';

/** What took too long: connecting (or waiting for a pooled connection), a statement, a lock. */
export const DatabaseWait = {
  CONNECT: 'connect',
  STATEMENT: 'statement',
  LOCK: 'lock',
} as const;
export type DatabaseWait = (typeof DatabaseWait)[keyof typeof DatabaseWait];

/**
 * The database did not answer within one of the repository's timeouts (`pool.connectionTimeoutMs`,
 * `statementTimeoutMs`, `lockTimeoutMs`): `DATABASE_TIMEOUT`, 504 at the HTTP door. They are
 * shorter than an RPC's timeout, so the caller learns why instead of waiting out its own.
 */
export class DatabaseTimeoutError extends CliffracerError {
  override readonly name = 'DatabaseTimeoutError';

  constructor(
    readonly entity: string,
    readonly wait: DatabaseWait,
    readonly timeoutMs: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, { ...options, code: 'DATABASE_TIMEOUT', data: { entity, wait, timeoutMs } });
  }
}

/** Whether `error` is a `DatabaseTimeoutError`, also across realms and the wire (by name). */
export function isDatabaseTimeoutError(error: unknown): error is DatabaseTimeoutError {
  return error instanceof DatabaseTimeoutError || (error instanceof Error && error.name === 'DatabaseTimeoutError');
}
