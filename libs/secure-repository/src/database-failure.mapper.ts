import { CliffracerError } from '@cliffracer/common';
import { QueryFailedError } from 'typeorm';
import { DatabaseFaultLog } from './database-fault.log.js';
import { DatabaseQueryError } from './errors/database-query.error.js';
import { DatabaseTimeoutError, DatabaseWait } from './errors/database-timeout.error.js';
import { DatabaseUnavailableError } from './errors/database-unavailable.error.js';
import type { NormalizedSecureRepositoryOptions } from './interfaces/secure-repository-options.interface.js';
import { MESSAGES, SQLSTATE_REASONS } from './secure-repository.messages.js';

/** An SQLSTATE: five digits or capitals. Anything else on an error's `code` is not Postgres'. */
const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Socket errors of a server that is down or unreachable. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** Connection exceptions (08), shutdown and start-up (57P01-3), no connection slot left (53300). */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** `pg`'s own errors carry no code, only these messages. */
const CONNECT_TIMEOUT = /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;
const CONNECTION_LOST = /^Connection terminated/;

/** What went wrong, as far as a caller is concerned. */
type Fault = { kind: 'unavailable'; why: string } | { kind: 'timeout'; wait: DatabaseWait; why: string } | { kind: 'refused'; sqlstate: string };

/**
 * Turns what the driver threw into an error a caller may see: the message names the entity
 * and the kind of fault, never the SQL, the values or the server's address. The driver's
 * error is logged here, once per burst, and not attached as `cause`, so that no later log
 * line or serializer can print its query and parameters.
 */
export class DatabaseFailureMapper {
  constructor(
    private readonly options: Pick<NormalizedSecureRepositoryOptions, 'pool' | 'statementTimeoutMs' | 'lockTimeoutMs'>,
    private readonly faults = new DatabaseFaultLog(),
  ) {}

  /** The safe form of `error`; errors that did not come from the database pass unchanged. */
  map(error: unknown, entity: string, write: boolean): unknown {
    if (error instanceof CliffracerError) return error;
    const fault = faultOf(error);
    if (fault === undefined) return error;
    const detail = (error as { message: string }).message;
    switch (fault.kind) {
      case 'unavailable':
        this.faults.report('unavailable', (suppressed) => `${MESSAGES.faultLogged('unavailable', entity, fault.why, suppressed)}: ${detail}`);
        return new DatabaseUnavailableError(entity, MESSAGES.unavailable(entity));
      case 'timeout': {
        const timeoutMs = this.timeoutOf(fault.wait);
        this.faults.report(`timeout:${fault.wait}`, (suppressed) => `${MESSAGES.faultLogged(`${fault.wait} timeout`, entity, fault.why, suppressed)}: ${detail}`);
        return new DatabaseTimeoutError(entity, fault.wait, timeoutMs, MESSAGES.timedOut(entity, fault.wait, timeoutMs));
      }
      default: {
        const { sqlstate } = fault;
        this.faults.report(`refused:${sqlstate}`, (suppressed) => `${MESSAGES.faultLogged('refusal', entity, sqlstate, suppressed)}: ${detail}`);
        const why = SQLSTATE_REASONS[sqlstate] ?? 'the database could not run it';
        return new DatabaseQueryError(entity, sqlstate, codeOf(sqlstate), MESSAGES.queryRefused(entity, write, why));
      }
    }
  }

  private timeoutOf(wait: DatabaseWait): number {
    if (wait === DatabaseWait.LOCK) return this.options.lockTimeoutMs;
    return wait === DatabaseWait.STATEMENT ? this.options.statementTimeoutMs : this.options.pool.connectionTimeoutMs;
  }
}

/** The fault behind `error`, looking through TypeORM's wrapper; `undefined` when it is not the database's. */
function faultOf(error: unknown): Fault | undefined {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  // Duck-typed, not `instanceof Error`: socket errors are made by Node's own realm.
  if (!isErrorLike(cause)) return undefined;
  const { code } = cause;
  const errno = typeof code === 'string' ? code : socketCodeOf(cause);
  if (errno !== undefined && UNREACHABLE.has(errno)) return { kind: 'unavailable', why: errno };
  if (errno === 'ETIMEDOUT' || CONNECT_TIMEOUT.test(cause.message)) return { kind: 'timeout', wait: DatabaseWait.CONNECT, why: errno ?? 'connect' };
  if (cause.message === 'Query read timeout') return { kind: 'timeout', wait: DatabaseWait.STATEMENT, why: 'read' };
  const fromServer = 'severity' in cause || error instanceof QueryFailedError;
  if (fromServer && typeof code === 'string' && SQLSTATE.test(code)) {
    if (code === '55P03') return { kind: 'timeout', wait: DatabaseWait.LOCK, why: code };
    if (code === '57014') return { kind: 'timeout', wait: DatabaseWait.STATEMENT, why: code };
    if (UNAVAILABLE_SQLSTATE.test(code)) return { kind: 'unavailable', why: code };
    return { kind: 'refused', sqlstate: code };
  }
  if (CONNECTION_LOST.test(cause.message)) return { kind: 'unavailable', why: 'connection lost' };
  return undefined;
}

function isErrorLike(value: unknown): value is { message: string; code?: unknown; errors?: unknown } {
  return value !== null && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string';
}

/** Node reports a refused connection to a name with several addresses as an `AggregateError`. */
function socketCodeOf(error: { errors?: unknown }): string | undefined {
  if (!Array.isArray(error.errors)) return undefined;
  const first: unknown = error.errors.find((e: unknown) => isErrorLike(e) && typeof e.code === 'string');
  return isErrorLike(first) ? (first.code as string) : undefined;
}

function codeOf(sqlstate: string): string {
  if (sqlstate.startsWith('23') || sqlstate.startsWith('40')) return 'CONFLICT';
  if (sqlstate.startsWith('22')) return 'VALIDATION_ERROR';
  return 'DATABASE_ERROR';
}
