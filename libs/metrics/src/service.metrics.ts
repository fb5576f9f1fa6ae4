import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { TransportInstruments } from './transport.instruments.js';
import { TransportRecorder } from './transport.recorder.js';

/** What tells the metrics of auth refusals: `AuthFailures` of `@cliffracer/auth`. */
export interface AuthFailureFeed {
  onRecord(listener: (reason: string, transport: string) => void): () => void;
}

/**
 * The Prometheus metrics of one service, in a registry of its own labelled `service`: its
 * handlers, the calls it makes, refused messages, dead letters, redeliveries, NATS reconnects,
 * auth failures, and process metrics. Add the app's own metrics to `registry`. Counting starts
 * at module init; outside a Nest app, call `onModuleInit()` and `onModuleDestroy()` yourself.
 *
 * @example
 * constructor(metrics: ServiceMetrics) {
 *   this.paid = new Counter({ name: 'shop_orders_paid_total', help: 'Orders paid', registers: [metrics.registry] });
 * }
 */
export class ServiceMetrics implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly recorder: TransportRecorder;
  private stopAuthFeed?: () => void;

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.recorder = new TransportRecorder(service, new TransportInstruments(this.registry));
  }

  /** The Content-Type of `text()`: Prometheus text format. */
  get contentType(): string {
    return this.registry.contentType;
  }

  onModuleInit(): void {
    this.recorder.start();
  }

  onModuleDestroy(): void {
    this.recorder.stop();
    this.stopAuthFeed?.();
    this.stopAuthFeed = undefined;
  }

  /** Counts the refusals `feed` reports (the app's `AuthFailures`). */
  countAuthFailures(feed: AuthFailureFeed): void {
    this.stopAuthFeed?.();
    this.stopAuthFeed = feed.onRecord((reason, transport) => this.recorder.authFailure(reason, transport));
  }

  /** The metrics in Prometheus text format. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
