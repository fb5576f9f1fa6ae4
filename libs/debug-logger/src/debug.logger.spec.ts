import { CorrelationContext } from '@cliffracer/correlation';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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

    it('keeps the order of entries across flushes', async () => {
      for (let i = 0; i < 2000; i += 1) logger.log('performance', 'tick', { i });
      await logger.flush();
      expect((await lines(logger.fileOf('performance'))).map((e) => e.i)).toEqual([...Array(2000).keys()]);
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
