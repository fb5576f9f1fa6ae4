import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DebugLogger, normalizeDebugLoggerOptions } from '@cliffracer/debug-logger';
import { Logger } from '@nestjs/common';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthFailures } from './auth.failures.js';

describe('AuthFailures', () => {
  let dir: string;
  let debug: DebugLogger;
  let warn: jest.SpiedFunction<Logger['warn']>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auth-failures-'));
    debug = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'front', sessionId: '20260101_120000' }, {}));
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    warn.mockRestore();
    await debug.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('record', () => {
    it('logs a refusal as one line naming the transport, the handler and the reason', () => {
      new AuthFailures().record('token expired', 'rpc', 'OrdersController.place');
      expect(warn.mock.calls).toEqual([['refused rpc OrdersController.place: token expired']]);
    });

    it('writes the reason to the debug logger under auth', async () => {
      new AuthFailures(debug).record('wrong audience', 'http', 'OrdersHttpController.list');
      await debug.flush();
      const [entry] = (await readFile(debug.fileOf('auth'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entry).toMatchObject({ level: 'warn', category: 'auth', msg: 'auth.refused', reason: 'wrong audience', transport: 'http', operation: 'OrdersHttpController.list' });
    });

    it('logs a flood of one reason once, then the count of the rest after the interval', () => {
      jest.useFakeTimers();
      try {
        const failures = new AuthFailures();
        for (let i = 0; i < 10_000; i++) failures.record('bad signature', 'rpc', 'A.a');
        failures.record('no token', 'rpc', 'A.a');
        expect(warn.mock.calls).toEqual([['refused rpc A.a: bad signature'], ['refused rpc A.a: no token']]);
        jest.advanceTimersByTime(10_000);
        expect(warn.mock.calls[2]).toEqual(['9999 more refused in the last 10000ms (rpc bad signature)']);
        expect(failures.total()).toBe(10_001);
      } finally {
        jest.useRealTimers();
      }
    });

    it('counts refusals per reason', () => {
      const failures = new AuthFailures();
      failures.record('no token', 'rpc', 'A.a');
      failures.record('no token', 'http', 'B.b');
      failures.record('bad signature', 'rpc', 'A.a');
      expect(failures.snapshot()).toEqual({ 'no token': 2, 'bad signature': 1 });
      expect(failures.total()).toBe(3);
    });
  });

  describe('onRecord', () => {
    it('tells each listener the reason and transport of every refusal until it is stopped', () => {
      const failures = new AuthFailures();
      const seen: string[] = [];
      const stop = failures.onRecord((reason, transport) => seen.push(`${transport} ${reason}`));
      failures.record('no token', 'rpc', 'A.a');
      failures.record('bad signature', 'http', 'B.b');
      stop();
      failures.record('no token', 'rpc', 'A.a');
      expect(seen).toEqual(['rpc no token', 'http bad signature']);
    });
  });
});
