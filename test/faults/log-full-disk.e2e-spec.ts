import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Ledger, NatsServerProcess } from '@cliffracer/testing';
import { DebugLogger } from '@cliffracer/debug-logger';
import { Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type DebugLogService, jsonLines, startDebugLogService } from './debug-log-service.js';
import { RecordController } from './record.controller.js';
import { drive } from './load.js';

const run = promisify(execFile);

describe('fault: the debug log disk full under load', () => {
  // A real filesystem that fills up: a 64 KiB tmpfs (CI runs as root), as test/debug-logger does.
  let disk: string;
  let nats: NatsServerProcess;
  let svc: DebugLogService;

  beforeAll(async () => {
    disk = await mkdtemp(join(tmpdir(), 'faults-full-'));
    await run('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', disk]).catch((error: Error) => {
      throw new Error(`the full-disk scenario mounts a 64 KiB tmpfs and needs root for it: ${error.message}`);
    });
    nats = await NatsServerProcess.start({ jetstream: false });
    svc = await startDebugLogService(nats.url, disk);
  });

  afterAll(async () => {
    await svc?.close();
    await nats?.stop();
    await run('umount', [disk]).catch(() => run('umount', ['-l', disk]));
    await rm(disk, { recursive: true, force: true });
  });

  it('answers every request while log lines are dropped whole, says so once, and counts every line kept or dropped', async () => {
    const logged: string[] = [];
    for (const level of ['warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => void logged.push(`${level}: ${String(message)}`));
    }
    // The side effect is the handler's run; the log lines are accounted below.
    const ledger = new Ledger('log-full-disk', { allowedErrors: [], effectOnOk: true });
    svc.service.app.get(RecordController).effect = (id) => ledger.effect(id);
    try {
      // The session's start entry is on disk first: only the load's lines meet the full disk.
      await svc.service.app.get(DebugLogger).flush();
      // All the room but about 8 KiB: some 30 lines fit.
      await writeFile(join(disk, 'filler'), Buffer.alloc(48 * 1024));
      await drive(ledger, { count: 1500, concurrency: 10 }, (id) => svc.call(id));
      // Every line of the load meets the full disk: none still queued takes the room made next.
      await svc.service.app.get(DebugLogger).flush();
      await rm(join(disk, 'filler'));
      // Lines logged once there is room again resume the file, after a mark of the gap.
      await drive(ledger, { count: 10, concurrency: 1, pauseMs: 60, idPrefix: 'after' }, (id) => svc.call(id));
      await svc.close();
    } finally {
      jest.restoreAllMocks();
    }

    const entries = await jsonLines(svc.rpcFile);
    const handled = entries.filter((entry) => entry.msg === 'rpc.handled');
    const dropped = entries.filter((entry) => entry.msg === 'log.dropped').reduce((sum, entry) => sum + Number(entry.dropped_lines), 0);
    const lineCount = new Map<string, number>();
    for (const entry of handled) lineCount.set(String(entry.correlation_id), (lineCount.get(String(entry.correlation_id)) ?? 0) + 1);
    ledger.note('lines_kept', handled.length);
    ledger.note('lines_dropped', dropped);
    ledger.note('log_lines', logged.length);

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.ok).toBe(1510);
    // Every handled request's line is in the file once, or counted in the gap mark.
    expect([...lineCount.values()].every((n) => n === 1)).toBe(true);
    expect(handled.length + dropped).toBe(1510);
    expect(dropped).toBeGreaterThan(1000);
    expect(logged).toEqual([
      expect.stringMatching(/^error: cannot write the rpc debug log: ENOSPC/),
      `warn: the rpc debug log dropped ${dropped} lines it could not write`,
    ]);
  }, 60_000);
});
