import { CliffracerError } from '@cliffracer/common';

/**
 * The database could not be reached (refused, reset, shutting down): `DATABASE_UNAVAILABLE`,
 * 503 at the HTTP door. The message names the entity, never the server's address; the
 * driver's error is logged on the server, once per burst.
 */
export class DatabaseUnavailableError extends CliffracerError {
  override readonly name = 'DatabaseUnavailableError';

  constructor(
    readonly entity: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, { ...options, code: 'DATABASE_UNAVAILABLE', data: { entity } });
  }
}

/** Whether `error` is a `DatabaseUnavailableError`, also across realms and the wire (by name). */
export function isDatabaseUnavailableError(error: unknown): error is DatabaseUnavailableError {
  return error instanceof DatabaseUnavailableError || (error instanceof Error && error.name === 'DatabaseUnavailableError');
}
