import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import type { MetricsModuleOptions, NormalizedMetricsOptions } from './interfaces/metrics-options.interface.js';
import { AUTH_FAILURES_FEED } from './metrics.constants.js';
import { MetricsEndpoint } from './metrics.endpoint.js';
import { METRICS_OPTIONS, MetricsConfigurableModule, NORMALIZED_METRICS_OPTIONS } from './metrics.module-definition.js';
import { normalizeMetricsOptions } from './metrics.options.js';
import { type AuthFailureFeed, ServiceMetrics } from './service.metrics.js';

/**
 * The service's Prometheus metrics (`ServiceMetrics`) for a service without an HTTP door, and
 * with `port`, `GET /metrics` on that port (`MetricsEndpoint`), open from bootstrap until
 * shutdown, so it still answers while NATS drains. Counts the auth guard's refusals when the
 * app imports `AuthModule`. Global by default. A service with the HTTP door (`@cliffracer/http`)
 * has all of this on its `/metrics` already: import one or the other.
 *
 * @example
 * MetricsModule.forRoot({ service: 'notifications', port: 9464, host: '0.0.0.0' })
 */
@Module({
  providers: [
    {
      provide: NORMALIZED_METRICS_OPTIONS,
      inject: [METRICS_OPTIONS],
      useFactory: (options: MetricsModuleOptions) => normalizeMetricsOptions(options),
    },
    {
      provide: ServiceMetrics,
      inject: [NORMALIZED_METRICS_OPTIONS, { token: AUTH_FAILURES_FEED, optional: true }],
      useFactory: (options: NormalizedMetricsOptions, auth?: AuthFailureFeed) => {
        const metrics = new ServiceMetrics(options.service);
        if (auth !== undefined) metrics.countAuthFailures(auth);
        return metrics;
      },
    },
    {
      provide: MetricsEndpoint,
      inject: [ServiceMetrics, NORMALIZED_METRICS_OPTIONS],
      useFactory: (metrics: ServiceMetrics, options: NormalizedMetricsOptions) =>
        options.port === undefined ? undefined : new MetricsEndpoint(metrics, options.port, options.host),
    },
  ],
  exports: [ServiceMetrics, MetricsEndpoint],
})
export class MetricsModule extends MetricsConfigurableModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Optional() @Inject(MetricsEndpoint) private readonly endpoint?: MetricsEndpoint) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.endpoint?.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.endpoint?.close();
  }
}
