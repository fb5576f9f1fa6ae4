import {
  type CallReport,
  type CircuitReport,
  NATS_CIRCUIT_CHANNEL,
  NATS_OVERLOAD_CHANNEL,
  NATS_RETRY_CHANNEL,
  type OverloadReport,
  type RetryReport,
  type DeadLetterReport,
  type HandledReport,
  NATS_CALL_CHANNEL,
  NATS_DEAD_LETTER_CHANNEL,
  NATS_HANDLED_CHANNEL,
  NATS_REDELIVERY_CHANNEL,
  NATS_REFUSED_CHANNEL,
  NATS_STATUS_CHANNEL,
  NatsStatus,
  type RedeliveryReport,
  REFUSAL_CODES,
  type RefusedReport,
  type StatusReport,
} from '@cliffracer/nats-transport';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { LabelValues } from './label-values.js';
import { OK_OUTCOME } from './metrics.constants.js';
import type { TransportInstruments } from './transport.instruments.js';

const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;

/** A report on a channel, as it concerns one service. */
type Listener = (message: unknown) => void;

/**
 * Turns the transport's diagnostics reports of one service into metrics. It subscribes only
 * between `start()` and `stop()`: until then the transport builds no report at all. Reports
 * of other services in the same process (tests, tools) are skipped.
 */
export class TransportRecorder {
  // Values that come from outside the service's code: a remote handler's error code, a name a
  // caller passed to `send()`, an auth reason.
  private readonly targets = new LabelValues();
  private readonly codes = new LabelValues();
  private readonly reasons = new LabelValues(50);
  private readonly listeners: Array<[string, Listener]>;

  constructor(
    private readonly service: string,
    private readonly instruments: TransportInstruments,
  ) {
    this.listeners = [
      [NATS_HANDLED_CHANNEL, this.mine<HandledReport>((report) => this.handled(report))],
      [NATS_CALL_CHANNEL, this.mine<CallReport>((report) => this.call(report))],
      [NATS_REFUSED_CHANNEL, this.mine<RefusedReport>((report) => this.refused(report.kind, report.route, report.code))],
      [NATS_DEAD_LETTER_CHANNEL, this.mine<DeadLetterReport>((report) => this.deadLetter(report))],
      [NATS_REDELIVERY_CHANNEL, this.mine<RedeliveryReport>((report) => this.redelivery(report))],
      [NATS_STATUS_CHANNEL, this.mine<StatusReport>((report) => this.status(report))],
      [NATS_OVERLOAD_CHANNEL, this.mine<OverloadReport>((report) => this.overload(report))],
      [NATS_CIRCUIT_CHANNEL, this.mine<CircuitReport>((report) => this.circuit(report))],
      [NATS_RETRY_CHANNEL, this.mine<RetryReport>((report) => this.instruments.retries.inc({ target: this.targets.of(report.target) }))],
    ];
  }

  start(): void {
    for (const [name, listener] of this.listeners) subscribe(name, listener);
  }

  stop(): void {
    for (const [name, listener] of this.listeners) unsubscribe(name, listener);
  }

  /** One request the auth guard refused. */
  authFailure(reason: string, transport: string): void {
    this.instruments.authFailures.inc({ transport, reason: this.reasons.of(reason) });
  }

  private mine<T extends { service: string }>(record: (report: T) => void): Listener {
    return (message) => {
      const report = message as T;
      if (report.service === this.service) record(report);
    };
  }

  // Labelled by the handler's pattern: a label per subject under a wildcard would grow without end.
  private handled(report: HandledReport): void {
    const { kind, route } = report;
    this.instruments.handled.inc({ kind, subject: route, outcome: report.failed ? 'failure' : 'success' });
    this.instruments.handlerSeconds.observe({ kind, subject: route }, report.durationMs / 1000);
    if (report.errorCode !== undefined && REFUSAL_CODES.has(report.errorCode)) this.refused(kind, route, report.errorCode);
  }

  private call(report: CallReport): void {
    const target = this.targets.of(report.subject);
    const outcome = report.failed ? this.codes.of(report.errorCode ?? 'ERROR') : OK_OUTCOME;
    this.instruments.calls.inc({ target, outcome });
    this.instruments.callSeconds.observe({ target }, report.durationMs / 1000);
  }

  private refused(kind: string, route: string, code: string): void {
    this.instruments.refused.inc({ kind, subject: route, code: this.codes.of(code) });
  }

  private deadLetter(report: DeadLetterReport): void {
    const delivery = report.durable ? 'durable' : 'core';
    this.instruments.deadLetters.inc({ subject: report.route, delivery, code: this.codes.of(report.code) });
  }

  private redelivery(report: RedeliveryReport): void {
    this.instruments.redeliveries.inc({ subject: report.route, code: this.codes.of(report.code) });
  }

  private overload({ kind, route, scope, outcome }: OverloadReport): void {
    this.instruments.bulkheads.inc({ kind, subject: route, scope, outcome });
  }

  // One series per state, 1 for the current one: a dashboard shows the state without a mapping.
  private circuit(report: CircuitReport): void {
    const target = this.targets.of(report.target);
    for (const state of CIRCUIT_STATES) this.instruments.circuitState.set({ target, state }, state === report.state ? 1 : 0);
    if (report.state === 'open' && report.previous !== 'open') this.instruments.circuitOpens.inc({ target });
  }

  // The transport reports a status only when it changes after the first connect.
  private status(report: StatusReport): void {
    if (report.status === NatsStatus.DISCONNECTED) this.instruments.disconnects.inc({ role: report.role });
    else if (report.status === NatsStatus.CONNECTED) this.instruments.reconnects.inc({ role: report.role });
  }
}
