import {
  type CallReport,
  type HandledReport,
  NATS_CALL_CHANNEL,
  NATS_HANDLED_CHANNEL,
  NATS_STATUS_CHANNEL,
  type StatusReport,
  type TimedReport,
} from '@cliffracer/nats-transport';
import { TIMER_RUN_CHANNEL, type TimerRunReport } from '@cliffracer/timers';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { DebugCategory } from './debug-logger.constants.js';
import type { DebugLogger, TimingGate } from './debug.logger.js';
import { StressDetector } from './stress.detector.js';

/**
 * Times every RPC and event handler, client call and timer run with no code in handlers, by
 * listening to the diagnostics channels the transport and timers publish on. Nothing is
 * subscribed unless the debug logger is enabled, and then the publishers pay for reports.
 */
export class DebugInstrumentation {
  private readonly stress: StressDetector;
  private readonly listeners: Array<[string, (message: unknown) => void]>;
  private readonly rpcGate: TimingGate;
  private readonly eventsGate: TimingGate;
  private readonly timersGate: TimingGate;

  constructor(private readonly debug: DebugLogger) {
    this.stress = new StressDetector(debug);
    this.rpcGate = debug.timingGate(DebugCategory.RPC);
    this.eventsGate = debug.timingGate(DebugCategory.EVENTS);
    this.timersGate = debug.timingGate(DebugCategory.TIMERS);
    this.listeners = [
      [NATS_HANDLED_CHANNEL, (m) => this.onHandled(m as HandledReport)],
      [NATS_CALL_CHANNEL, (m) => this.onCall(m as CallReport)],
      [NATS_STATUS_CHANNEL, (m) => this.onStatus(m as StatusReport)],
      [TIMER_RUN_CHANNEL, (m) => this.onTimer(m as TimerRunReport)],
    ];
  }

  private started = false;

  get active(): boolean {
    return this.started;
  }

  start(): void {
    if (!this.debug.enabled || this.started) return;
    this.started = true;
    for (const [name, listener] of this.listeners) subscribe(name, listener);
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    for (const [name, listener] of this.listeners) unsubscribe(name, listener);
  }

  // Other services of the process (tests, one-process demos) publish on the same channels.
  private mine(service: string): boolean {
    return service === this.debug.options.service;
  }

  private onHandled(report: HandledReport): void {
    if (!this.mine(report.service)) return;
    const slow = this.stress.isSlow(report);
    if (report.kind === 'rpc') this.logWork(DebugCategory.RPC, this.rpcGate, 'rpc.handled', report, slow);
    else this.logWork(DebugCategory.EVENTS, this.eventsGate, 'event.handled', report, slow);
    this.stress.work(report.kind, report, slow);
  }

  private onCall(report: CallReport): void {
    if (!this.mine(report.service)) return;
    const slow = this.stress.isSlow(report);
    this.logWork(DebugCategory.RPC, this.rpcGate, 'rpc.call', report, slow);
    this.stress.work('call', report, slow);
  }

  // Asked before the entry is made: under heavy load most are left out (`timingsPerSecond`).
  private logWork(category: string, gate: TimingGate, msg: string, report: TimedReport, slow: boolean): void {
    if (!gate(report.durationMs, report.failed || slow, report.correlationId, report.finishedAt)) return;
    this.debug.logTiming(category, msg, {
      correlationId: report.correlationId,
      operation: report.subject,
      durationMs: report.durationMs,
      failed: report.failed,
      error: report.failed ? { name: report.errorName, code: report.errorCode, message: report.errorMessage } : undefined,
    });
  }

  private onStatus(report: StatusReport): void {
    if (this.mine(report.service)) this.stress.connection(report.status, report.role, report.server);
  }

  // Timers without a service name belong to whichever service listens.
  private onTimer(report: TimerRunReport): void {
    if (report.service !== '' && !this.mine(report.service)) return;
    const error = report.error as Error | undefined;
    if (!this.timersGate(report.durationMs, report.failed || report.overran, report.correlationId)) return;
    this.debug.logTiming(DebugCategory.TIMERS, 'timer.run', {
      correlationId: report.correlationId,
      operation: report.name,
      durationMs: report.durationMs,
      intervalMs: report.intervalMs,
      failed: report.failed,
      error: report.failed ? { name: error?.name, message: error?.message } : undefined,
    });
    if (report.overran) this.stress.timerOverran(report.name, report.correlationId, report.durationMs, report.intervalMs);
  }
}
