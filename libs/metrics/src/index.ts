export { METRICS_ENDPOINT_LIMITS } from './metrics-endpoint.limits.js';
export { MetricsEndpoint } from './metrics.endpoint.js';
export { MetricsModule } from './metrics.module.js';
export { DEFAULT_METRICS_OPTIONS, normalizeMetricsOptions } from './metrics.options.js';
export type { MetricsModuleOptions, NormalizedMetricsOptions } from './interfaces/metrics-options.interface.js';
export { ServiceMetrics } from './service.metrics.js';
export type { AuthFailureFeed } from './service.metrics.js';
