import { CliffracerError } from '@cliffracer/common';

/**
 * A query the secure repository refuses: an unknown field, an operator outside the closed
 * set, a value that is not plain data, a sort, limit or offset out of bounds. It names the
 * field (or option) at fault; nothing reached the database.
 */
export class SecureQueryError extends CliffracerError {
  override readonly name = 'SecureQueryError';

  constructor(
    readonly entity: string,
    readonly field: string,
    reason: string,
  ) {
    super(`refused query on ${entity}: ${field} ${reason}`, { code: 'SECURE_QUERY_REJECTED', data: { entity, field, reason } });
  }
}

/** Whether `error` is a `SecureQueryError`, also across realms and the wire (by name). */
export function isSecureQueryError(error: unknown): error is SecureQueryError {
  return error instanceof SecureQueryError || (error instanceof Error && error.name === 'SecureQueryError');
}
