import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CorrelationContext } from '@cliffracer/correlation';
import { sessionFile } from '@cliffracer/debug-logger';
import { NatsClient } from '@cliffracer/nats-transport';
import { Ledger, NatsServerProcess, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines } from './debug-log-service.js';
import { drive } from './load.js';
import { buildLedgerService, LedgerServiceProcess } from './service-process.js';

const SESSION = '20260101_000000';

// A service process of its own: SIGHUP is a real signal here, which a Jest worker cannot take.
describe('fault: the debug log rotated under load', () => {
  let nats: NatsServerProcess;
  let dir: string;
  let service: LedgerServiceProcess;
  let caller: NatsClient;

  beforeAll(async () => {
    [nats, dir] = await Promise.all([NatsServerProcess.start({ jetstream: false }), mkdtemp(join(tmpdir(), 'faults-rotate-')), buildLedgerService()]);
    const prefix = uniquePrefix();
    service = await LedgerServiceProcess.start({ NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix, DEBUG_MODE: 'true', DEBUG_LOG_DIR: dir, DEBUG_SESSION_ID: SESSION });
    caller = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix: prefix });
  }, 120_000);

  afterAll(async () => {
    await caller?.close();
    await service?.[Symbol.asyncDispose]();
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes each request\'s line once, whole, across the rotated files (logrotate\'s move and SIGHUP, and a move alone)', async () => {
    // The side effect counted is the request's line in the rpc log (its correlation ID is the request id).
    const ledger = new Ledger('log-rotated', { allowedErrors: [], effectOnOk: true });
    const rpcFile = sessionFile(dir, SESSION, 'rpc');

    // Paced so that some 2 s of load follow the second move: the logger notices a move within 1 s.
    const load = drive(ledger, { count: 1500, concurrency: 10, pauseMs: 20 }, (id) => CorrelationContext.run(id, () => caller.call('ledger', 'record', { id, ms: 0 })));
    await waitUntil(() => ledger.settled >= 300, 10_000);
    await rename(rpcFile, `${rpcFile}.1`);
    service.signal('SIGHUP');
    await waitUntil(() => ledger.settled >= 600, 10_000);
    // A move without a signal: the logger sees the path change within a second.
    await rename(rpcFile, `${rpcFile}.2`);
    await load;
    service.signal('SIGTERM');
    const exit = await service.exited;

    const files = [`${rpcFile}.1`, `${rpcFile}.2`, rpcFile];
    const perFile: number[] = [];
    for (const file of files) {
      const lines = (await jsonLines(file)).filter((entry) => entry.msg === 'rpc.handled');
      perFile.push(lines.length);
      for (const entry of lines) ledger.effect(String(entry.correlation_id));
    }
    ledger.note('lines_per_file', perFile.join('/'));

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(perFile.every((n) => n > 0)).toBe(true);
  }, 60_000);
});
