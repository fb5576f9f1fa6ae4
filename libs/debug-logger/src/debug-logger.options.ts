import { InvalidOptionsError } from '@cliffracer/common';
import type { DebugLoggerModuleOptions, NormalizedDebugLoggerOptions } from './interfaces/debug-logger-options.interface.js';
import { formatSessionId } from './session-id.js';

export const DEFAULT_DEBUG_LOGGER_OPTIONS = {
  dir: './debug_logs',
  service: 'service',
  flushIntervalMs: 200,
  slowRatio: 0.5,
  errorBurstCount: 10,
  errorBurstWindowMs: 10000,
  redactFields: [] as string[],
  timingsPerSecond: 1000,
} as const;

const MODULE = 'DebugLogger';

/**
 * Applies defaults and checks the options. `DEBUG_MODE=true` and `DEBUG_LOG_DIR` from the
 * environment fill `enabled` and `dir` when the options leave them out, as the debug mode
 * is switched on per process, without a code change.
 */
export function normalizeDebugLoggerOptions(
  options: DebugLoggerModuleOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): NormalizedDebugLoggerOptions {
  const merged: NormalizedDebugLoggerOptions = {
    ...DEFAULT_DEBUG_LOGGER_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    enabled: options.enabled ?? env.DEBUG_MODE === 'true',
    dir: options.dir ?? env.DEBUG_LOG_DIR ?? DEFAULT_DEBUG_LOGGER_OPTIONS.dir,
    sessionId: options.sessionId ?? formatSessionId(),
    redactFields: [...(options.redactFields ?? [])],
  };
  if (!/^[A-Za-z0-9_-]+$/.test(merged.sessionId)) {
    throw new InvalidOptionsError(MODULE, `sessionId must be letters, digits, _ or -, got ${JSON.stringify(merged.sessionId)}`);
  }
  if (!(merged.slowRatio > 0 && merged.slowRatio <= 1)) {
    throw new InvalidOptionsError(MODULE, `slowRatio must be above 0 and at most 1, got ${merged.slowRatio}`);
  }
  for (const key of ['flushIntervalMs', 'errorBurstCount', 'errorBurstWindowMs'] as const) {
    if (!Number.isInteger(merged[key]) || merged[key] <= 0) {
      throw new InvalidOptionsError(MODULE, `${key} must be a positive whole number, got ${merged[key]}`);
    }
  }
  if (!Number.isInteger(merged.timingsPerSecond) || merged.timingsPerSecond < 0) {
    throw new InvalidOptionsError(MODULE, `timingsPerSecond must be a whole number, 0 for no sampling, got ${merged.timingsPerSecond}`);
  }
  return merged;
}
