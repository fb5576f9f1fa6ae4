import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DatabaseConnection } from '@cliffracer/secure-repository';
import { Ledger, NatsServerProcess, PostgresClusterProcess, waitUntil } from '@cliffracer/testing';
import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { type DatabaseService, startDatabaseService } from './database-service.js';
import { drive } from './load.js';

describe('fault: the database stopped and restarted under load', () => {
  let nats: NatsServerProcess;
  let postgres: PostgresClusterProcess;
  let db: DatabaseService;

  beforeAll(async () => {
    [nats, postgres] = await Promise.all([NatsServerProcess.start({ jetstream: false }), PostgresClusterProcess.start()]);
    db = await startDatabaseService(nats.url, { url: postgres.url });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await postgres?.stop();
    await nats?.stop();
  }, 30_000);

  it('answers DatabaseUnavailableError at once while it is down, stores each row at most once, and recovers', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const ledger = new Ledger('database-restart', {
      // Requests waiting for a connection while the server comes back up may time out on connecting.
      allowedErrors: ['DatabaseUnavailableError', 'DatabaseTimeoutError'],
      fastErrorMs: 2500,
      effectOnOk: true,
    });
    // What readiness asks (`pingDatabase`): false within its timeout while the server is down.
    const connection = db.service.app.get(DatabaseConnection);
    let pingWhileDown: boolean | undefined;
    let pingMs = 0;
    try {
      const load = drive(ledger, { count: 1500, concurrency: 10, pauseMs: 10 }, (id) => db.caller.call('ledger', 'record', { id }));
      await waitUntil(() => ledger.settled >= 300, 15_000);
      await postgres.kill('fast');
      const pingedAt = performance.now();
      pingWhileDown = await connection.ping();
      pingMs = Math.round(performance.now() - pingedAt);
      await sleep(1000);
      await postgres.restart();
      await load;
    } catch (error) {
      errors.mockRestore();
      throw error;
    }
    const errorLines = errors.mock.calls.length;
    errors.mockRestore();
    ledger.note('rows', await db.countEffects(ledger));
    ledger.note('error_log_lines', errorLines);
    ledger.note('ping_while_down', `${pingWhileDown} in ${pingMs}ms`);

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.errors.DatabaseUnavailableError).toBeGreaterThan(0);
    // Logged once per burst, not once per failed request.
    expect(errorLines).toBeGreaterThan(0);
    expect(errorLines).toBeLessThan(10);
    expect(pingWhileDown).toBe(false);
    expect(pingMs).toBeLessThan(1500);
    await expect(connection.ping()).resolves.toBe(true);
    await expect(db.caller.call('ledger', 'record', { id: 'after' })).resolves.toBe('after');
  }, 60_000);
});
