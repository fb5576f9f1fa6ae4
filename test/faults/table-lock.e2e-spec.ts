import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DatabaseConnection } from '@cliffracer/secure-repository';
import { Ledger, NatsServerProcess, PostgresClusterProcess, waitUntil } from '@cliffracer/testing';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseService, startDatabaseService } from './database-service.js';
import { drive } from './load.js';

const LOCK_TIMEOUT_MS = 500;

describe('fault: a table locked by another connection under load', () => {
  let nats: NatsServerProcess;
  let postgres: PostgresClusterProcess;
  let db: DatabaseService;

  beforeAll(async () => {
    [nats, postgres] = await Promise.all([NatsServerProcess.start({ jetstream: false }), PostgresClusterProcess.start()]);
    db = await startDatabaseService(nats.url, { url: postgres.url, lockTimeoutMs: LOCK_TIMEOUT_MS });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await postgres?.stop();
    await nats?.stop();
  }, 30_000);

  it('answers DatabaseTimeoutError after the lock timeout, not the caller timeout, and stores each row at most once', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const ledger = new Ledger('table-lock', { allowedErrors: ['DatabaseTimeoutError'], fastErrorMs: LOCK_TIMEOUT_MS * 3, effectOnOk: true });
    let pingWhileLocked: boolean | undefined;
    const holder = new pg.Client({ connectionString: postgres.url });
    await holder.connect();
    try {
      const load = drive(ledger, { count: 1500, concurrency: 10, pauseMs: 5 }, (id) => db.caller.call('ledger', 'record', { id }));
      await waitUntil(() => ledger.settled >= 300, 15_000);
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${db.table} IN ACCESS EXCLUSIVE MODE`);
      // What readiness asks (`pingDatabase`): the server answers, so the service stays ready.
      pingWhileLocked = await db.service.app.get(DatabaseConnection).ping();
      await sleep(1500);
      await holder.query('ROLLBACK');
      await load;
    } finally {
      await holder.end();
    }
    const errorLines = errors.mock.calls.length;
    errors.mockRestore();
    ledger.note('rows', await db.countEffects(ledger));
    ledger.note('error_log_lines', errorLines);
    ledger.note('ping_while_locked', String(pingWhileLocked));

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.errors.DatabaseTimeoutError).toBeGreaterThan(0);
    expect(errorLines).toBeGreaterThan(0);
    expect(errorLines).toBeLessThan(10);
    expect(pingWhileLocked).toBe(true);
  }, 60_000);
});
