import { InvalidOptionsError } from '@cliffracer/common';
import type { BackdoorModuleOptions, NormalizedBackdoorOptions } from './interfaces/backdoor-options.interface.js';

export const DEFAULT_BACKDOOR_OPTIONS = {
  port: 0,
  host: '127.0.0.1',
  enabled: true,
  allowInProduction: false,
  maxSessions: 4,
  idleTimeoutMs: 300_000,
  authTimeoutMs: 10_000,
  maxLineBytes: 65_536,
  maxAuthFailures: 5,
  authWindowMs: 60_000,
  lockoutMs: 60_000,
  evalTimeoutMs: 3000,
} as const;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const PRODUCTION_NAMES = new Set(['production', 'prod']);
const MODULE = 'Backdoor';

/** Applies defaults; a non-loopback host is an error, never a silent rebinding. */
export function normalizeBackdoorOptions(options: BackdoorModuleOptions = {}): NormalizedBackdoorOptions {
  const merged = {
    ...DEFAULT_BACKDOOR_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as NormalizedBackdoorOptions;
  if (!LOOPBACK.has(merged.host)) {
    throw new InvalidOptionsError(MODULE, `host must be a loopback address (127.0.0.1, ::1, localhost), got ${JSON.stringify(merged.host)}`);
  }
  if (!Number.isInteger(merged.port) || merged.port < 0 || merged.port > 65535) {
    throw new InvalidOptionsError(MODULE, `port must be 0-65535, got ${merged.port}`);
  }
  for (const key of ['maxSessions', 'idleTimeoutMs', 'authTimeoutMs', 'maxLineBytes', 'maxAuthFailures', 'authWindowMs', 'lockoutMs', 'evalTimeoutMs'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] <= 0) {
      throw new InvalidOptionsError(MODULE, `${key} must be a positive whole number, got ${merged[key]}`);
    }
  }
  if (merged.token !== undefined && merged.token.length < 12) {
    throw new InvalidOptionsError(MODULE, 'token must be at least 12 characters');
  }
  return merged;
}

/** Why the backdoor must not start, or `undefined` when it may. */
export function backdoorDisabledReason(options: NormalizedBackdoorOptions, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CLIFFRACER_DISABLE_BACKDOOR === '1' || env.CLIFFRACER_DISABLE_BACKDOOR === 'true') return 'CLIFFRACER_DISABLE_BACKDOOR is set';
  if (!options.enabled) return 'disabled by its options';
  const production = isProductionName(env.NODE_ENV) || isProductionName(env.CLIFFRACER_ENV);
  if (production && !options.allowInProduction) return 'disabled in production';
  if (options.token === undefined || options.token === '') return 'no token is configured';
  return undefined;
}

// `Production`, `PRODUCTION` and `prod` mean production too: a miss here leaves a REPL open in production.
function isProductionName(value: string | undefined): boolean {
  return value !== undefined && PRODUCTION_NAMES.has(value.trim().toLowerCase());
}
