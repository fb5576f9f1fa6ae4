import { CliffracerError } from '@cliffracer/common';
import { QueryFailedError } from 'typeorm';
import { DatabaseFaultLog } from './database-fault.log.js';
import { DatabaseQueryError } from './errors/database-query.error.js';
import { MESSAGES, SQLSTATE_REASONS } from './secure-repository.messages.js';

/** An SQLSTATE: five digits or capitals. Anything else on an error's `code` is not Postgres'. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Turns what the driver threw into an error a caller may see: the message names the entity
 * and the kind of fault, never the SQL, the values or the server's address. The driver's
 * error is logged here, once per burst, and not attached as `cause`, so that no later log
 * line or serializer can print its query and parameters.
 */
export class DatabaseFailureMapper {
  constructor(private readonly faults = new DatabaseFaultLog()) {}

  /** The safe form of `error`; errors that did not come from the database pass unchanged. */
  map(error: unknown, entity: string, write: boolean): unknown {
    if (error instanceof CliffracerError) return error;
    const sqlstate = sqlstateOf(error);
    if (sqlstate === undefined) return error;
    this.faults.report(`refused:${sqlstate}`, (suppressed) => `${MESSAGES.faultLogged('refusal', entity, sqlstate, suppressed)}: ${(error as Error).message}`);
    const why = SQLSTATE_REASONS[sqlstate] ?? 'the database could not run it';
    return new DatabaseQueryError(entity, sqlstate, codeOf(sqlstate), MESSAGES.queryRefused(entity, write, why));
  }
}

/** The SQLSTATE of a refusal by the server, found on TypeORM's wrapper or on `pg`'s error. */
function sqlstateOf(error: unknown): string | undefined {
  const driverError = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (driverError === null || typeof driverError !== 'object') return undefined;
  const code = (driverError as { code?: unknown }).code;
  const fromServer = 'severity' in driverError || error instanceof QueryFailedError;
  return fromServer && typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

function codeOf(sqlstate: string): string {
  if (sqlstate.startsWith('23') || sqlstate.startsWith('40')) return 'CONFLICT';
  if (sqlstate.startsWith('22')) return 'VALIDATION_ERROR';
  return 'DATABASE_ERROR';
}
