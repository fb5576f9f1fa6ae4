import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, Ledger, NatsServerProcess, type TestApp, waitUntil } from '@cliffracer/testing';
import { Timer, TIMER_RUN_CHANNEL, type TimerRunReport, TimersModule } from '@cliffracer/timers';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { drive } from './load.js';

const INTERVAL_MS = 50;
// Just over two intervals: waiting for the next slot of the grid would leave a gap of 45 ms.
const RUN_MS = 105;

const ledger = new Ledger('timer-overrun', { allowedErrors: [], effectOnOk: true });

/** A timer whose every run takes over twice its interval. */
@Injectable()
class SlowTimer {
  runs = 0;
  running = 0;
  mostAtOnce = 0;
  /** Longest wait from the end of a run to the start of the next. */
  longestGapMs = 0;
  private lastEnd?: number;

  @Timer('overrun', INTERVAL_MS, { eager: true })
  async tick(): Promise<void> {
    const id = `run-${this.runs++}`;
    ledger.sent(id);
    if (this.lastEnd !== undefined) this.longestGapMs = Math.max(this.longestGapMs, performance.now() - this.lastEnd);
    this.running += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    await sleep(RUN_MS);
    ledger.effect(id);
    this.running -= 1;
    this.lastEnd = performance.now();
    ledger.ok(id);
  }
}

@Controller()
class RecordController {
  @Rpc()
  record(@Payload() request: { id: string }): string {
    ledger.effect(request.id);
    return request.id;
  }
}

describe('fault: a timer overrunning its interval', () => {
  let nats: NatsServerProcess;
  let service: TestApp;
  let caller: NatsClient;
  const reports: TimerRunReport[] = [];
  const listen = (report: unknown) => reports.push(report as TimerRunReport);

  beforeAll(async () => {
    subscribe(TIMER_RUN_CHANNEL, listen);
    nats = await NatsServerProcess.start({ jetstream: false });
    service = await createTestApp({
      nats: { service: 'ledger', servers: nats.url },
      imports: [TimersModule.forRoot({ service: 'ledger' })],
      providers: [SlowTimer],
      controllers: [RecordController],
      logger: false,
    });
    caller = new NatsClient({ service: 'caller', servers: nats.url });
  });

  afterAll(async () => {
    unsubscribe(TIMER_RUN_CHANNEL, listen);
    await caller?.close();
    await service?.close();
    await nats?.stop();
  });

  it('never overlaps runs, starts the next at once, keeps answering RPCs, and finishes the run in progress at shutdown', async () => {
    const timer = service.app.get(SlowTimer);
    await drive(ledger, { count: 1000, concurrency: 10, pauseMs: 5 }, (id) => caller.call('ledger', 'record', { id }));
    // Close in the middle of a run: shutdown waits for it, and no run starts after.
    await waitUntil(() => timer.running === 1, 2000, 5);
    await service.close();
    const runsAtClose = timer.runs;
    await sleep(3 * RUN_MS);
    ledger.note('runs', timer.runs);
    ledger.note('overran', reports.filter((report) => report.overran).length);
    ledger.note('most_at_once', timer.mostAtOnce);
    ledger.note('longest_gap_ms', Math.round(timer.longestGapMs));

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(timer.runs).toBe(runsAtClose);
    expect(timer.running).toBe(0);
    expect(timer.mostAtOnce).toBe(1);
    // The next run starts at once after an overrun, not at the next slot of the grid.
    expect(timer.longestGapMs).toBeLessThan(30);
    expect(reports.filter((report) => report.name === 'overrun')).toHaveLength(timer.runs);
    expect(reports.every((report) => report.overran)).toBe(true);
  }, 30_000);
});
