import type { MixedList } from 'typeorm';

/** Connection pool of the real server (`pg` pool settings). */
export interface SecurePoolOptions {
  /** Connections at most. @default 10 */
  max?: number;
  /** An idle connection is closed after this long. @default 30000 */
  idleTimeoutMs?: number;
  /**
   * Connecting, or waiting for a free pooled connection, fails after this long with
   * `DatabaseTimeoutError` (`DATABASE_TIMEOUT`). Below an RPC's timeout, so callers learn why.
   * @default 2000
   */
  connectionTimeoutMs?: number;
}

/** Options of `SecureRepositoryModule.forRoot`. */
export interface SecureRepositoryModuleOptions {
  /**
   * `postgres://` URL of the database. Without it an embedded Postgres (PGlite) stores the
   * data in `embeddedDir`, so a service runs on a machine with no database installed.
   * @default undefined (embedded)
   */
  url?: string;
  /**
   * Postgres schema of the tables, created when missing and first on the connections' search
   * path, so migrations land in it too: services sharing one server each keep their own.
   * @default 'public'
   */
  schema?: string;
  /** Folder of the embedded database; `'memory'` keeps it in memory. @default './.pgdata' */
  embeddedDir?: string;
  /** Pool settings for the real server; the embedded database has one connection. */
  pool?: SecurePoolOptions;
  /** Creates or alters tables to match the entities at boot (demo and tests, not production). @default false */
  synchronize?: boolean;
  /** Migration classes, run at boot when `migrationsRun`. @default [] */
  migrations?: MixedList<Function | string>;
  /** Runs pending migrations at boot. @default false */
  migrationsRun?: boolean;
  /** Rows one `findMany` may return at most; a larger `limit` is refused. @default 1000 */
  maxLimit?: number;
  /** Rows `findMany` returns when no `limit` is given. @default 100 */
  defaultLimit?: number;
  /** Largest `offset` accepted. @default 1000000 */
  maxOffset?: number;
  /**
   * A statement is cancelled by the server after this long (`statement_timeout`) and fails
   * with `DatabaseTimeoutError`. Schema synchronization and migrations at boot are not bound by it.
   * @default 3000
   */
  statementTimeoutMs?: number;
  /**
   * Waiting for a row or table lock fails after this long (`lock_timeout`) with
   * `DatabaseTimeoutError`, so a held lock cannot pile up every request behind it.
   * @default 1000
   */
  lockTimeoutMs?: number;
  /** `DatabaseConnection.ping()` answers false after this long, so a health check never hangs. @default 1000 */
  pingTimeoutMs?: number;
  /** Rows per INSERT of `createMany` (lowered so a batch stays under Postgres' bind limit). @default 1000 */
  batchSize?: number;
}

/** The options with defaults applied. */
export type NormalizedSecureRepositoryOptions = Required<Omit<SecureRepositoryModuleOptions, 'url' | 'pool'>> & {
  url?: string;
  pool: Required<SecurePoolOptions>;
};
