import { InvalidOptionsError } from '@cliffracer/common';
import type { NormalizedTimersOptions, TimersModuleOptions } from './interfaces/timers-options.interface.js';

export const DEFAULT_TIMERS_OPTIONS: NormalizedTimersOptions = {
  enabled: true,
  shutdownGraceMs: 10000,
  service: '',
};

/** Applies defaults and rejects options the timers cannot work with. */
export function normalizeTimersOptions(options: TimersModuleOptions = {}): NormalizedTimersOptions {
  const merged = {
    enabled: options.enabled ?? DEFAULT_TIMERS_OPTIONS.enabled,
    shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_TIMERS_OPTIONS.shutdownGraceMs,
    service: options.service ?? DEFAULT_TIMERS_OPTIONS.service,
  };
  if (!Number.isInteger(merged.shutdownGraceMs) || merged.shutdownGraceMs < 0) {
    throw new InvalidOptionsError('Timers', `shutdownGraceMs must be a whole number of milliseconds, got ${merged.shutdownGraceMs}`);
  }
  return merged;
}
