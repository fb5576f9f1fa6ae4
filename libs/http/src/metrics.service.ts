import { ServiceMetrics } from '@cliffracer/metrics';
import { type HandledReport, NATS_HANDLED_CHANNEL } from '@cliffracer/nats-transport';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Histogram } from 'prom-client';
import { TrafficStats } from './traffic.stats.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics as the HTTP door serves them on `/metrics`: everything of
 * `ServiceMetrics` (handlers, calls, refusals, dead letters, redeliveries, reconnects, auth
 * failures, process) plus a counter and latency histogram per HTTP route. Also keeps the
 * recent traffic for health.
 */
export class MetricsService extends ServiceMetrics {
  readonly traffic = new TrafficStats();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpSeconds: Histogram<'method' | 'route'>;
  private readonly onHandled = (message: unknown) => this.recordTraffic(message as HandledReport);

  constructor(service: string) {
    super(service);
    this.httpRequests = new Counter({ name: 'cliffracer_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.httpSeconds = new Histogram({ name: 'cliffracer_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'], buckets: BUCKETS, registers: [this.registry] });
  }

  override onModuleInit(): void {
    super.onModuleInit();
    subscribe(NATS_HANDLED_CHANNEL, this.onHandled);
  }

  override onModuleDestroy(): void {
    unsubscribe(NATS_HANDLED_CHANNEL, this.onHandled);
    super.onModuleDestroy();
  }

  /** One answered HTTP request; `route` is the route pattern, not the raw URL. */
  recordHttp(method: string, route: string, status: number, durationMs: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpSeconds.observe({ method, route }, durationMs / 1000);
    this.traffic.record(durationMs, status >= 500);
  }

  private recordTraffic(report: HandledReport): void {
    if (report.service === this.service) this.traffic.record(report.durationMs, report.failed);
  }
}
