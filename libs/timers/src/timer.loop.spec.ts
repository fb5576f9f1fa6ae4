import { CorrelationContext } from '@cliffracer/correlation';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { TimerRunReport } from './interfaces/timer-metadata.interface.js';
import { TimerLoop } from './timer.loop.js';
import { TIMER_RUN_CHANNEL } from './timers.constants.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('TimerLoop', () => {
  let starts: number[];
  let failures: TimerRunReport[];
  let t0: number;

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    t0 = Date.now();
    starts = [];
    failures = [];
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  function loop(intervalMs: number, task: () => unknown, eager = false): TimerLoop {
    return new TimerLoop({ name: 't', intervalMs, eager }, task, (report) => failures.push(report));
  }

  describe('start', () => {
    it('runs first one interval after start when not eager', async () => {
      const timer = loop(100, () => starts.push(Date.now() - t0));
      timer.start();
      await jest.advanceTimersByTimeAsync(99);
      expect(starts).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(starts).toEqual([100]);
      await timer.stop();
    });

    it('runs at once and then every interval when eager', async () => {
      const timer = loop(100, () => starts.push(Date.now() - t0), true);
      timer.start();
      await jest.advanceTimersByTimeAsync(250);
      expect(starts).toEqual([0, 100, 200]);
      await timer.stop();
    });
  });

  describe('scheduling', () => {
    it('starts each run one interval after the previous start while runs are shorter', async () => {
      const timer = loop(100, async () => {
        starts.push(Date.now() - t0);
        await sleep(30);
      });
      timer.start();
      await jest.advanceTimersByTimeAsync(450);
      expect(starts).toEqual([100, 200, 300, 400]);
      await timer.stop();
    });

    it('starts the next run at once when a run overruns the interval, never overlapping', async () => {
      let active = 0;
      let maxActive = 0;
      const timer = loop(100, async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        starts.push(Date.now() - t0);
        await sleep(starts.length === 1 ? 250 : 10);
        active -= 1;
      });
      timer.start();
      await jest.advanceTimersByTimeAsync(560);
      // 100 runs until 350; the next starts at once, then the grid restarts from 350.
      expect(starts).toEqual([100, 350, 450, 550]);
      expect(maxActive).toBe(1);
      await timer.stop();
    });

    it('keeps its start times on the grid over many runs', async () => {
      const timer = loop(10, () => starts.push(Date.now() - t0));
      timer.start();
      await jest.advanceTimersByTimeAsync(10_000);
      expect(starts).toHaveLength(1000);
      expect(starts.at(-1)).toBe(10_000);
      await timer.stop();
    });
  });

  describe('failures', () => {
    it('reports a throwing run and keeps running', async () => {
      let calls = 0;
      const timer = loop(100, () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
      });
      timer.start();
      await jest.advanceTimersByTimeAsync(300);
      expect(calls).toBe(3);
      expect(failures).toHaveLength(1);
      expect((failures[0].error as Error).message).toBe('boom');
      expect(failures[0].correlationId).toMatch(/.+/);
      await timer.stop();
    });
  });

  describe('correlation', () => {
    it('gives every run its own correlation ID, reported with the run', async () => {
      const seen: Array<string | undefined> = [];
      const reports: TimerRunReport[] = [];
      const listener = (report: unknown) => reports.push(report as TimerRunReport);
      subscribe(TIMER_RUN_CHANNEL, listener);
      const timer = loop(100, () => seen.push(CorrelationContext.currentId()));
      timer.start();
      await jest.advanceTimersByTimeAsync(200);
      await timer.stop();
      unsubscribe(TIMER_RUN_CHANNEL, listener);
      expect(seen).toHaveLength(2);
      expect(new Set(seen).size).toBe(2);
      expect(reports.map((r) => r.correlationId)).toEqual(seen);
    });
  });

  describe('stop', () => {
    it('waits for the running handler and schedules nothing after it', async () => {
      let finished = false;
      const timer = loop(100, async () => {
        starts.push(Date.now() - t0);
        await sleep(50);
        finished = true;
      });
      timer.start();
      await jest.advanceTimersByTimeAsync(120);
      const stopped = timer.stop();
      await jest.advanceTimersByTimeAsync(30);
      await stopped;
      expect(finished).toBe(true);
      await jest.advanceTimersByTimeAsync(500);
      expect(starts).toEqual([100]);
    });
  });
});
