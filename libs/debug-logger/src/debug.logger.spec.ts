import { CorrelationContext } from '@cliffracer/correlation';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeDebugLoggerOptions } from './debug-logger.options.js';
import { DebugLogger } from './debug.logger.js';

async function lines(file: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
}

describe('DebugLogger', () => {
  let dir: string;
  let logger: DebugLogger;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'debug-logger-'));
    logger = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'orders', sessionId: '20260101_120000' }, {}));
  });
  afterEach(async () => {
    await logger.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('log', () => {
    it('writes one JSON line per entry into the file of its category, with the standard fields', async () => {
      logger.log('rpc', 'rpc.handled', { operation: 'orders.get', duration_ms: 1.5 });
      await logger.flush();
      const [entry] = await lines(join(dir, '20260101_120000_rpc.jsonl'));
      expect(entry).toMatchObject({ session_id: '20260101_120000', level: 'info', category: 'rpc', msg: 'rpc.handled', service: 'orders', operation: 'orders.get', duration_ms: 1.5 });
      expect(Date.parse(entry.timestamp as string)).not.toBeNaN();
      expect(typeof entry.elapsed_seconds).toBe('number');
    });

    it('takes the correlation ID of the current context', async () => {
      CorrelationContext.run('cid-1', () => logger.log('events', 'x'));
      await logger.flush();
      expect((await lines(logger.fileOf('events')))[0].correlation_id).toBe('cid-1');
    });

    it('writes custom categories to their own file', async () => {
      logger.log('billing', 'invoice.sent');
      await logger.flush();
      expect(await readdir(dir)).toEqual(['20260101_120000_billing.jsonl']);
    });

    it('writes an invalid category name to errors instead of a file named after it', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      logger.log('../../etc', 'x');
      expect(warn).toHaveBeenCalledWith('debug log category "../../etc" is not a lowercase name; written to errors');
      warn.mockRestore();
      await logger.flush();
      expect(await readdir(dir)).toEqual(['20260101_120000_errors.jsonl']);
    });

    it('redacts secrets from the fields', async () => {
      logger.log('auth', 'login', { user: 'ann', password: 'hunter2', headers: { authorization: 'Bearer abc' } });
      await logger.flush();
      const text = await readFile(logger.fileOf('auth'), 'utf8');
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('Bearer abc');
    });

    it('leaves no half line when a field cannot be serialized', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      logger.log('rpc', 'before');
      logger.log('rpc', 'broken', { ok: 1, bad: { toJSON: () => { throw new Error('no'); } } });
      logger.log('rpc', 'after');
      warn.mockRestore();
      await logger.flush();
      expect((await lines(logger.fileOf('rpc'))).map((e) => e.msg)).toEqual(['before', 'after']);
    });

    it('keeps the order of entries across flushes', async () => {
      for (let i = 0; i < 2000; i += 1) logger.log('performance', 'tick', { i });
      await logger.flush();
      expect((await lines(logger.fileOf('performance'))).map((e) => e.i)).toEqual([...Array(2000).keys()]);
    });
  });

  describe('logTiming', () => {
    it('keeps arrival order with other entries of the category, and the time each was logged at', async () => {
      jest.useFakeTimers({ now: Date.parse('2026-01-01T12:00:00.000Z'), doNotFake: ['setImmediate', 'nextTick'] });
      try {
        logger.logTiming('rpc', 'rpc.handled', { correlationId: 'a', operation: 'orders.get', durationMs: 1, failed: false });
        jest.setSystemTime(Date.parse('2026-01-01T12:00:01.000Z'));
        logger.log('rpc', 'between');
        logger.logTiming('rpc', 'rpc.call', { correlationId: 'b', operation: 'stock.get', durationMs: 2, failed: true, error: { name: 'RpcTimeoutError' } });
      } finally {
        jest.useRealTimers();
      }
      await logger.flush();
      const entries = await lines(logger.fileOf('rpc'));
      expect(entries.map((e) => [e.msg, e.timestamp])).toEqual([
        ['rpc.handled', '2026-01-01T12:00:00.000Z'],
        ['between', '2026-01-01T12:00:01.000Z'],
        ['rpc.call', '2026-01-01T12:00:01.000Z'],
      ]);
      expect(entries[2]).toMatchObject({ level: 'warn', success: false, error: { name: 'RpcTimeoutError' } });
    });

    it('writes every timing of a burst larger than one batch', async () => {
      for (let i = 0; i < 300; i += 1) logger.logTiming('events', 'event.handled', { correlationId: `c${i}`, operation: 'x', durationMs: 1, failed: false });
      await logger.close();
      expect((await lines(logger.fileOf('events'))).length).toBe(300);
    });
  });

  describe('sampling under heavy load', () => {
    const timing = (i: number, failed = false) => ({ correlationId: `c${i}`, operation: 'orders.get', durationMs: 1, failed });

    it('writes about timingsPerSecond of a burst, every failure, and one summary of what it left out', async () => {
      const sampled = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'orders', sessionId: '20260101_130000', timingsPerSecond: 50 }, {}));
      let written = 0;
      for (let i = 0; i < 2000; i += 1) {
        const failed = i % 250 === 0;
        if (sampled.admitTiming('rpc', 1, failed, `c${i}`)) {
          written += 1;
          sampled.logTiming('rpc', 'rpc.handled', timing(i, failed));
        }
      }
      await sampled.close();
      const entries = await lines(sampled.fileOf('rpc'));
      const handled = entries.filter((e) => e.msg === 'rpc.handled');
      expect(handled).toHaveLength(written);
      expect(written).toBeLessThanOrEqual(50 + 8);
      expect(handled.filter((e) => e.success === false)).toHaveLength(8);
      const [summary, ...more] = entries.filter((e) => e.msg === 'timings.sampled');
      expect(more).toHaveLength(0);
      expect(summary).toMatchObject({ skipped: 2000 - written, written, correlation_id: null, skipped_max_ms: 1 });
    });

    it('writes every entry with timingsPerSecond 0', async () => {
      const every = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'orders', sessionId: '20260101_140000', timingsPerSecond: 0 }, {}));
      for (let i = 0; i < 2000; i += 1) if (every.admitTiming('events', 1, false, `c${i}`)) every.logTiming('events', 'event.handled', timing(i));
      await every.close();
      expect(await lines(every.fileOf('events'))).toHaveLength(2000);
    });

    it('writes the summary of a window once it ends, without waiting for another entry', async () => {
      const now = jest.spyOn(performance, 'now');
      try {
        now.mockReturnValue(1_000_000);
        const sampled = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'orders', sessionId: '20260101_150000', timingsPerSecond: 10, flushIntervalMs: 20 }, {}));
        for (let i = 0; i < 100; i += 1) if (sampled.admitTiming('events', 1, false, `c${i}`)) sampled.logTiming('events', 'event.handled', timing(i));
        now.mockReturnValue(1_001_000);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const entries = await lines(sampled.fileOf('events'));
        expect(entries.at(-1)).toMatchObject({ msg: 'timings.sampled', skipped: 90, written: 10, window_ms: 1000 });
        await sampled.close();
      } finally {
        now.mockRestore();
      }
    });

    it("counts a category's gate and admitTiming in one window, timed by the end each is given", async () => {
      const sampled = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'orders', sessionId: '20260101_160000', timingsPerSecond: 10 }, {}));
      const gate = sampled.timingGate('events');
      expect(sampled.timingGate('events')).toBe(gate);
      // A whole number: start + 1000 is then exactly a second on, where a fraction could fall short.
      const start = Math.floor(performance.now());
      const admitted = [];
      for (let i = 0; i < 50; i += 1) admitted.push(gate(1, false, `c${i}`, start));
      for (let i = 50; i < 100; i += 1) admitted.push(sampled.admitTiming('events', 1, false, `c${i}`, start + 999));
      expect(admitted.filter(Boolean)).toHaveLength(10);
      gate(1, true, 'next-window', start + 1000);
      await sampled.close();
      const summaries = (await lines(sampled.fileOf('events'))).filter((e) => e.msg === 'timings.sampled');
      expect(summaries).toEqual([expect.objectContaining({ skipped: 90, written: 10, window_ms: 1000 })]);
    });

    it('keeps sampling through a gate after a close, and sums up what it left out each time', async () => {
      const sampled = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'orders', sessionId: '20260101_170000', timingsPerSecond: 10 }, {}));
      const gate = sampled.timingGate('events');
      const start = performance.now();
      for (let round = 0; round < 2; round += 1) {
        for (let i = 0; i < 100; i += 1) gate(1, false, `r${round}-${i}`, start);
        await sampled.close();
      }
      const summaries = (await lines(sampled.fileOf('events'))).filter((e) => e.msg === 'timings.sampled');
      expect(summaries).toHaveLength(2);
      expect(summaries.map((e) => (e.skipped as number) + (e.written as number))).toEqual([100, 100]);
    });

    it('refuses a negative or fractional timingsPerSecond', () => {
      expect(() => normalizeDebugLoggerOptions({ timingsPerSecond: -1 }, {})).toThrow(/timingsPerSecond/);
      expect(() => normalizeDebugLoggerOptions({ timingsPerSecond: 1.5 }, {})).toThrow(/timingsPerSecond/);
    });
  });

  describe('close', () => {
    it('writes what is buffered, and a later entry opens the file again', async () => {
      logger.log('rpc', 'first');
      await logger.close();
      logger.log('rpc', 'second');
      await logger.flush();
      expect((await lines(logger.fileOf('rpc'))).map((e) => e.msg)).toEqual(['first', 'second']);
    });
  });

  describe('rotation', () => {
    // The path is looked at once a second at most, so the clock is moved past that.
    async function afterAMoment(change: () => Promise<void>): Promise<void> {
      jest.useFakeTimers({ now: Date.now(), doNotFake: ['setImmediate', 'nextTick'] });
      try {
        await change();
        jest.setSystemTime(Date.now() + 1000);
        logger.log('rpc', 'second');
        await logger.flush();
      } finally {
        jest.useRealTimers();
      }
    }

    it('writes the next lines into a new file at the path once the file is moved away', async () => {
      logger.log('rpc', 'first');
      await logger.flush();
      await afterAMoment(() => rename(logger.fileOf('rpc'), `${logger.fileOf('rpc')}.1`));
      expect((await lines(`${logger.fileOf('rpc')}.1`)).map((e) => e.msg)).toEqual(['first']);
      expect((await lines(logger.fileOf('rpc'))).map((e) => e.msg)).toEqual(['second']);
    });

    it('writes the next lines into a new file at the path once the file is deleted', async () => {
      logger.log('rpc', 'first');
      await logger.flush();
      await afterAMoment(() => rm(logger.fileOf('rpc')));
      expect((await lines(logger.fileOf('rpc'))).map((e) => e.msg)).toEqual(['second']);
    });

    it('reopens every category file on SIGHUP, without waiting for the path check', async () => {
      logger.log('rpc', 'first');
      logger.log('events', 'first');
      await logger.flush();
      await rename(logger.fileOf('rpc'), `${logger.fileOf('rpc')}.1`);
      await rename(logger.fileOf('events'), `${logger.fileOf('events')}.1`);
      process.emit('SIGHUP', 'SIGHUP');
      logger.log('rpc', 'second');
      logger.log('events', 'second');
      await logger.flush();
      expect((await lines(logger.fileOf('rpc'))).map((e) => e.msg)).toEqual(['second']);
      expect((await lines(logger.fileOf('events'))).map((e) => e.msg)).toEqual(['second']);
      expect((await lines(`${logger.fileOf('rpc')}.1`)).map((e) => e.msg)).toEqual(['first']);
    });

    it('listens to SIGHUP only while it has files, and stops listening when closed', async () => {
      const before = process.listenerCount('SIGHUP');
      logger.log('rpc', 'first');
      expect(process.listenerCount('SIGHUP')).toBe(before + 1);
      await logger.close();
      expect(process.listenerCount('SIGHUP')).toBe(before);
    });
  });

  describe('write failures', () => {
    it('reports a category that cannot be written once, without throwing', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const blocked = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir: join(dir, 'file'), sessionId: 's1' }, {}));
      await writeFile(join(dir, 'file'), 'a file where the folder should be');
      blocked.log('rpc', 'x');
      await blocked.flush();
      blocked.log('rpc', 'y');
      await blocked.flush();
      expect(error).toHaveBeenCalledTimes(1);
      expect(error.mock.calls[0]![0]).toMatch(/^cannot write the rpc debug log: /);
      error.mockRestore();
      await blocked.close();
    });

    it('reports the lines it dropped once, when closed before it could write again', async () => {
      const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const blocked = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir: join(dir, 'file'), sessionId: 's1' }, {}));
      await writeFile(join(dir, 'file'), 'a file where the folder should be');
      blocked.log('rpc', 'x');
      blocked.log('rpc', 'y');
      await blocked.flush();
      blocked.log('rpc', 'z');
      await blocked.close();
      expect(warn.mock.calls.map(([message]) => message)).toEqual(['the rpc debug log dropped 3 lines it could not write']);
      error.mockRestore();
      warn.mockRestore();
    });
  });

  describe('time', () => {
    it('writes the duration and outcome of the work, and returns its result', async () => {
      await expect(logger.time('database', 'orders.find', async () => 42)).resolves.toBe(42);
      await expect(logger.time('database', 'orders.save', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
      await logger.flush();
      const entries = await lines(logger.fileOf('database'));
      expect(entries.map((e) => [e.operation, e.success])).toEqual([['orders.find', true], ['orders.save', false]]);
      expect(typeof entries[0].duration_ms).toBe('number');
    });
  });

  describe('disabled', () => {
    it('writes nothing and creates no folder', async () => {
      const off = new DebugLogger(normalizeDebugLoggerOptions({ enabled: false, dir: join(dir, 'off') }, {}));
      off.log('rpc', 'x');
      off.error('y', new Error('z'));
      await expect(off.time('rpc', 'op', () => 1)).resolves.toBe(1);
      await off.flush();
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
