import { InvalidOptionsError } from '@cliffracer/common';
import type { NormalizedSecureRepositoryOptions, SecureRepositoryModuleOptions } from './interfaces/secure-repository-options.interface.js';

export const DEFAULT_SECURE_REPOSITORY_OPTIONS = {
  schema: 'public',
  embeddedDir: './.pgdata',
  synchronize: false,
  migrations: [],
  migrationsRun: false,
  maxLimit: 1000,
  defaultLimit: 100,
  maxOffset: 1_000_000,
  batchSize: 1000,
  // Below the RPC timeout (5 s): a caller hears of a stuck database before it gives up.
  statementTimeoutMs: 3000,
  lockTimeoutMs: 1000,
  pingTimeoutMs: 1000,
  pool: { max: 10, idleTimeoutMs: 30_000, connectionTimeoutMs: 2000 },
} as const;

const MODULE = 'SecureRepository';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Applies defaults and checks the options; invalid ones throw `InvalidOptionsError` at boot. */
export function normalizeSecureRepositoryOptions(options: SecureRepositoryModuleOptions = {}): NormalizedSecureRepositoryOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SecureRepositoryModuleOptions;
  const merged: NormalizedSecureRepositoryOptions = {
    ...DEFAULT_SECURE_REPOSITORY_OPTIONS,
    migrations: [],
    ...defined,
    pool: { ...DEFAULT_SECURE_REPOSITORY_OPTIONS.pool, ...options.pool },
  };
  if (merged.url !== undefined && !/^postgres(ql)?:\/\//.test(merged.url)) {
    throw new InvalidOptionsError(MODULE, 'url must be a postgres:// URL');
  }
  if (!SCHEMA_NAME.test(merged.schema)) throw new InvalidOptionsError(MODULE, `schema must be a lowercase identifier, got ${JSON.stringify(merged.schema)}`);
  for (const key of ['maxLimit', 'defaultLimit', 'batchSize', 'statementTimeoutMs', 'lockTimeoutMs', 'pingTimeoutMs'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] < 1) throw new InvalidOptionsError(MODULE, `${key} must be a positive whole number, got ${merged[key]}`);
  }
  if (merged.defaultLimit > merged.maxLimit) throw new InvalidOptionsError(MODULE, 'defaultLimit must not exceed maxLimit');
  if (!Number.isInteger(merged.maxOffset) || merged.maxOffset < 0) throw new InvalidOptionsError(MODULE, 'maxOffset must be a whole number');
  for (const key of ['max', 'idleTimeoutMs', 'connectionTimeoutMs'] as const) {
    if (!Number.isInteger(merged.pool[key]) || merged.pool[key] < 1) throw new InvalidOptionsError(MODULE, `pool.${key} must be a positive whole number`);
  }
  return merged;
}
