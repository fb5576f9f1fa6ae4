import { type HandledReport, NATS_HANDLED_CHANNEL } from '@cliffracer/nats-transport';
import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { TrafficStats } from './traffic.stats.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics (its own registry): per-handler counters and latency
 * histograms for RPC and event handlers, fed by the transport's diagnostics reports, and the
 * same for HTTP routes; process metrics too. Also keeps the recent traffic for health.
 */
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  readonly traffic = new TrafficStats();
  private readonly handled: Counter<'kind' | 'subject' | 'outcome'>;
  private readonly handlerSeconds: Histogram<'kind' | 'subject'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpSeconds: Histogram<'method' | 'route'>;
  private readonly onHandled = (message: unknown) => this.recordHandled(message as HandledReport);

  constructor(private readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.handled = new Counter({ name: 'cliffracer_handled_total', help: 'RPC and event messages handled', labelNames: ['kind', 'subject', 'outcome'], registers: [this.registry] });
    this.handlerSeconds = new Histogram({ name: 'cliffracer_handler_duration_seconds', help: 'RPC and event handler latency', labelNames: ['kind', 'subject'], buckets: BUCKETS, registers: [this.registry] });
    this.httpRequests = new Counter({ name: 'cliffracer_http_requests_total', help: 'HTTP requests answered', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
    this.httpSeconds = new Histogram({ name: 'cliffracer_http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['method', 'route'], buckets: BUCKETS, registers: [this.registry] });
  }

  onModuleInit(): void {
    subscribe(NATS_HANDLED_CHANNEL, this.onHandled);
  }

  onModuleDestroy(): void {
    unsubscribe(NATS_HANDLED_CHANNEL, this.onHandled);
  }

  /** One answered HTTP request; `route` is the route pattern, not the raw URL. */
  recordHttp(method: string, route: string, status: number, durationMs: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpSeconds.observe({ method, route }, durationMs / 1000);
    this.traffic.record(durationMs, status >= 500);
  }

  /** The metrics in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  private recordHandled(report: HandledReport): void {
    if (report.service !== this.service) return;
    // Labelled by the handler's pattern: a label per subject under a wildcard would grow without end.
    this.handled.inc({ kind: report.kind, subject: report.route, outcome: report.failed ? 'failure' : 'success' });
    this.handlerSeconds.observe({ kind: report.kind, subject: report.route }, report.durationMs / 1000);
    this.traffic.record(report.durationMs, report.failed);
  }
}
