import { InvalidOptionsError } from '@cliffracer/common';
import type { MetricsModuleOptions, NormalizedMetricsOptions } from './interfaces/metrics-options.interface.js';
import { MESSAGES } from './metrics.messages.js';

/** Defaults of `MetricsModule`: no listener unless `port` is given; bound to the loopback address. */
export const DEFAULT_METRICS_OPTIONS = {
  host: '127.0.0.1',
} as const;

/** Applies defaults and rejects options the metrics cannot work with, at boot. */
export function normalizeMetricsOptions(options: MetricsModuleOptions): NormalizedMetricsOptions {
  const { service, port, host = DEFAULT_METRICS_OPTIONS.host } = options ?? ({} as MetricsModuleOptions);
  if (typeof service !== 'string' || service.trim() === '') throw new InvalidOptionsError('Metrics', MESSAGES.invalidService(service));
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new InvalidOptionsError('Metrics', MESSAGES.invalidPort(port));
  if (typeof host !== 'string' || host.trim() === '') throw new InvalidOptionsError('Metrics', MESSAGES.invalidHost(host));
  return { service, host, ...(port !== undefined && { port }) };
}
