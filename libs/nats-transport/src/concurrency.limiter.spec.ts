import { describe, expect, it } from '@jest/globals';
import { AsyncLocalStorage } from 'node:async_hooks';
import { ConcurrencyLimiter } from './concurrency.limiter.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  describe('schedule', () => {
    it('never runs more than the limit at once, and runs every task in arrival order', async () => {
      const limiter = new ConcurrencyLimiter(2);
      const started: number[] = [];
      let peak = 0;
      const releases: Array<() => void> = [];
      const results = [0, 1, 2, 3, 4].map((n) =>
        limiter.schedule(async () => {
          started.push(n);
          peak = Math.max(peak, limiter.running);
          await new Promise<void>((resolve) => releases.push(resolve));
          return n * 10;
        }),
      );
      await tick();
      expect(started).toEqual([0, 1]);
      expect(limiter.queued).toBe(3);
      while (releases.length > 0) {
        releases.shift()!();
        await tick();
      }
      await expect(Promise.all(results)).resolves.toEqual([0, 10, 20, 30, 40]);
      expect(started).toEqual([0, 1, 2, 3, 4]);
      expect(peak).toBe(2);
    });

    it('passes a failure to its caller and frees the slot', async () => {
      const limiter = new ConcurrencyLimiter(1);
      const failing = limiter.schedule(async () => Promise.reject(new Error('boom')));
      const next = limiter.schedule(async () => 'next');
      await expect(failing).rejects.toThrow('boom');
      await expect(next).resolves.toBe('next');
      expect(limiter.running).toBe(0);
    });

    it('frees the slot when a task throws before returning a promise', async () => {
      const limiter = new ConcurrencyLimiter(1);
      await expect(limiter.schedule(() => { throw new Error('sync'); })).rejects.toThrow('sync');
      await expect(limiter.schedule(async () => 'after')).resolves.toBe('after');
    });
  });

  describe('full', () => {
    const hold = () => new Promise<void>(() => undefined);

    it('is false while a slot is free, whatever the size', () => {
      expect(new ConcurrencyLimiter(1, 0, 0).full(1_000_000)).toBe(false);
    });

    it('is true once maxQueued tasks wait', () => {
      const limiter = new ConcurrencyLimiter(1, 2);
      for (let i = 0; i < 2; i++) void limiter.schedule(hold);
      expect(limiter.full(0)).toBe(false);
      void limiter.schedule(hold);
      expect(limiter.full(0)).toBe(true);
    });

    it('is true when the waiting bytes and the new task would pass maxQueuedBytes, and frees them as tasks start', async () => {
      const limiter = new ConcurrencyLimiter(1, 100, 1000);
      let release!: () => void;
      void limiter.schedule(() => new Promise<void>((resolve) => (release = resolve)));
      void limiter.schedule(async () => undefined, 600);
      expect(limiter.full(400)).toBe(false);
      expect(limiter.full(401)).toBe(true);
      release();
      await tick();
      expect(limiter.full(1000)).toBe(false);
    });
  });

  describe('queued tasks', () => {
    it('run in the async context they were scheduled in, not that of the task that freed their slot', async () => {
      const storage = new AsyncLocalStorage<string>();
      const capture = () => {
        const store = storage.getStore()!;
        return <R>(fn: () => R) => storage.run(store, fn);
      };
      const limiter = new ConcurrencyLimiter(1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, capture);
      let release!: () => void;
      const first = storage.run('first', () => limiter.schedule(() => new Promise<void>((resolve) => (release = resolve))));
      const seen = storage.run('second', () => limiter.schedule(async () => storage.getStore()));
      release();
      await first;
      await expect(seen).resolves.toBe('second');
    });

    it('keep arrival order through a queue of thousands', async () => {
      const limiter = new ConcurrencyLimiter(3);
      const order: number[] = [];
      const tasks = Array.from({ length: 5000 }, (_, n) => limiter.schedule(async () => void order.push(n)));
      expect(limiter.queued).toBe(4997);
      await Promise.all(tasks);
      expect(order).toEqual(Array.from({ length: 5000 }, (_, n) => n));
      expect(limiter.queued).toBe(0);
    });
  });
});
