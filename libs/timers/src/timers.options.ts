import { InvalidOptionsError } from '@cliffracer/common';
import { MESSAGES } from './timers.messages.js';
import type { NormalizedTimersOptions, TimersModuleOptions } from './interfaces/timers-options.interface.js';

export const DEFAULT_TIMERS_OPTIONS: NormalizedTimersOptions = {
  enabled: true,
  shutdownGraceMs: 10000,
  service: '',
  intervals: {},
};

/** Applies defaults and rejects options the timers cannot work with. */
export function normalizeTimersOptions(options: TimersModuleOptions = {}): NormalizedTimersOptions {
  const merged = {
    enabled: options.enabled ?? DEFAULT_TIMERS_OPTIONS.enabled,
    shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_TIMERS_OPTIONS.shutdownGraceMs,
    service: options.service ?? DEFAULT_TIMERS_OPTIONS.service,
    intervals: { ...options.intervals },
  };
  if (!Number.isInteger(merged.shutdownGraceMs) || merged.shutdownGraceMs < 0) {
    throw new InvalidOptionsError('Timers', `shutdownGraceMs must be a whole number of milliseconds, got ${merged.shutdownGraceMs}`);
  }
  for (const [name, intervalMs] of Object.entries(merged.intervals)) {
    if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
      throw new InvalidOptionsError('Timers', `intervals.${name} ${MESSAGES.invalidInterval(intervalMs).replace('timer interval ', '')}`);
    }
  }
  return merged;
}
