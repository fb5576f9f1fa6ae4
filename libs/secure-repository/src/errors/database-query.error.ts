import { CliffracerError } from '@cliffracer/common';

/**
 * A query the database itself refused (a unique key taken, a constraint not met), told
 * safely: the message names the entity and the kind of refusal, never the SQL, the values or
 * the server. `code` is `CONFLICT` (409) for a constraint or a concurrent transaction,
 * `VALIDATION_ERROR` (400) for a value of the wrong form, else `DATABASE_ERROR`.
 */
export class DatabaseQueryError extends CliffracerError {
  override readonly name = 'DatabaseQueryError';

  constructor(
    readonly entity: string,
    /** The SQLSTATE of the refusal (`23505`). */
    readonly sqlstate: string,
    code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, { ...options, code, data: { entity, sqlstate } });
  }
}

/** Whether `error` is a `DatabaseQueryError`, also across realms and the wire (by name). */
export function isDatabaseQueryError(error: unknown): error is DatabaseQueryError {
  return error instanceof DatabaseQueryError || (error instanceof Error && error.name === 'DatabaseQueryError');
}
