import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DatabaseTimeoutError, DatabaseUnavailableError, type SecureRepositoryModuleOptions } from '@cliffracer/secure-repository';
import { PostgresClusterProcess } from '@cliffracer/testing';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { createRepositoryFixture, type RepositoryFixture } from './repository-fixture.js';

/** The RPC timeout callers use by default: database faults must be told well before it. */
const RPC_TIMEOUT_MS = 5000;

/** How long `work` took to settle, and how it settled. */
async function timed<R>(work: () => Promise<R>): Promise<{ ms: number; result?: R; error?: unknown }> {
  const started = performance.now();
  try {
    const result = await work();
    return { ms: performance.now() - started, result };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

/** Holds an exclusive lock on `table` from a connection of its own until `release`. */
async function lockTable(url: string, table: string): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

describe('SecureRepository database faults on a private PostgreSQL', () => {
  let server: PostgresClusterProcess;
  const fixtures: RepositoryFixture[] = [];

  const open = async (schema: string, options: SecureRepositoryModuleOptions = {}) => {
    const fixture = await createRepositoryFixture({ url: server.url, schema, ...options });
    fixtures.push(fixture);
    return fixture;
  };

  beforeAll(async () => {
    server = await PostgresClusterProcess.start();
  }, 60_000);

  afterAll(async () => {
    for (const fixture of fixtures) await fixture.close().catch(() => undefined);
    await server?.stop();
  }, 30_000);

  describe('with the server stopped', () => {
    let db: RepositoryFixture;
    let id: number;

    beforeAll(async () => {
      db = await open('stopped');
      ({ id } = await db.students.create({ name: 'Before', grade: 1 }));
    }, 30_000);

    it('fails a burst of 20 requests fast with DatabaseUnavailableError, naming no host or port, logged once', async () => {
      await server.kill();
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const burst = await Promise.all(Array.from({ length: 20 }, () => timed(() => db.students.findById(id))));
        for (const { ms, error } of burst) {
          expect(error).toBeInstanceOf(DatabaseUnavailableError);
          expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: 'database unavailable for Student; try again later' });
          expect((error as Error).message).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${server.port}|ECONNREFUSED`));
          expect(ms).toBeLessThan(RPC_TIMEOUT_MS / 5);
        }
        expect(errors).toHaveBeenCalledTimes(1);
        expect(String(errors.mock.calls[0]![0])).toMatch(/^database unavailable on Student \(ECONNREFUSED\)/);
      } finally {
        errors.mockRestore();
      }
    });

    it('answers a ping with false within its timeout', async () => {
      const { ms, result } = await timed(() => db.connection.ping());
      expect(result).toBe(false);
      expect(ms).toBeLessThan(1100);
    });

    it('works again once the server is back', async () => {
      await server.restart();
      expect(await db.students.findById(id)).toMatchObject({ id, name: 'Before' });
      expect(await db.connection.ping()).toBe(true);
    }, 30_000);
  });

  describe('with a table locked by another connection', () => {
    it('fails a query waiting for the lock with DatabaseTimeoutError after about the lock timeout', async () => {
      const db = await open('locked_lock', { lockTimeoutMs: 1000 });
      const lock = await lockTable(server.url, '"locked_lock"."students"');
      try {
        const { ms, error } = await timed(() => db.students.findById(1));
        expect(error).toBeInstanceOf(DatabaseTimeoutError);
        expect(error).toMatchObject({ code: 'DATABASE_TIMEOUT', wait: 'lock', timeoutMs: 1000, message: 'database timed out after 1000ms waiting for a lock for Student' });
        expect(ms).toBeGreaterThanOrEqual(900);
        expect(ms).toBeLessThan(2500);
      } finally {
        await lock.release();
      }
    });

    it('answers a ping within its timeout', async () => {
      const db = await open('locked_ping');
      const lock = await lockTable(server.url, '"locked_ping"."students"');
      try {
        const { ms, result } = await timed(() => db.connection.ping());
        expect(result).toBe(true);
        expect(ms).toBeLessThan(1000);
      } finally {
        await lock.release();
      }
    });

    it('fails a statement past the statement timeout with DatabaseTimeoutError', async () => {
      const db = await open('locked_statement', { statementTimeoutMs: 500, lockTimeoutMs: 10_000 });
      const lock = await lockTable(server.url, '"locked_statement"."students"');
      try {
        const { ms, error } = await timed(() => db.students.count());
        expect(error).toMatchObject({ name: 'DatabaseTimeoutError', code: 'DATABASE_TIMEOUT', wait: 'statement', timeoutMs: 500 });
        expect(ms).toBeGreaterThanOrEqual(400);
        expect(ms).toBeLessThan(2000);
      } finally {
        await lock.release();
      }
    });

    it('fails a request waiting for a pooled connection after the connect timeout, and a ping gives up after its own', async () => {
      const db = await open('locked_pool', { pool: { max: 1, connectionTimeoutMs: 300 }, lockTimeoutMs: 3000 });
      const lock = await lockTable(server.url, '"locked_pool"."students"');
      const holder = db.students.findById(1).catch((error: unknown) => error);
      try {
        await expectPoolExhausted(db);
      } finally {
        await lock.release();
        await holder;
      }
    });
  });
});

describe('SecureRepository database faults on the embedded Postgres', () => {
  let db: RepositoryFixture;

  beforeAll(async () => {
    db = await createRepositoryFixture({ embeddedDir: 'memory', pool: { connectionTimeoutMs: 300 } });
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('answers a ping within its timeout', async () => {
    const { ms, result } = await timed(() => db.connection.ping());
    expect(result).toBe(true);
    expect(ms).toBeLessThan(1000);
  });

  it('fails a request waiting for its one connection after the connect timeout, and a ping gives up after its own', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.students.transaction(async (students) => {
      await students.count();
      await held;
    });
    try {
      await expectPoolExhausted(db);
    } finally {
      release();
      await transaction;
    }
    expect(await db.connection.ping()).toBe(true);
  });
});

// With every pooled connection held, a request fails after the 300 ms connect timeout and a
// ping gives up after its own 200 ms: neither waits for the holder.
async function expectPoolExhausted(db: RepositoryFixture): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const waiting = await timed(() => db.students.count());
  expect(waiting.error).toMatchObject({ name: 'DatabaseTimeoutError', code: 'DATABASE_TIMEOUT', wait: 'connect', timeoutMs: 300 });
  expect(waiting.ms).toBeLessThan(1000);
  const ping = await timed(() => db.connection.ping(200));
  expect(ping.result).toBe(false);
  expect(ping.ms).toBeLessThan(600);
}
