import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { EmbeddedPostgresServer, getSecureRepositoryToken, type SecureRepository, SecureRepositoryModule } from '@cliffracer/secure-repository';
import { Test, type TestingModule } from '@nestjs/testing';
import pg from 'pg';
import { Column, Entity, type MigrationInterface, PrimaryColumn, type QueryRunner } from 'typeorm';

@Entity({ name: 'notes' })
class Note {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @Column({ type: 'text' })
  body!: string;
}

/** Unqualified names, as a service's migrations are written. */
class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE TABLE "notes" ("id" varchar(16) PRIMARY KEY, "body" text NOT NULL)');
    await queryRunner.query(`INSERT INTO "notes" ("id", "body") VALUES ('seed', current_schema())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "notes"');
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EmbeddedPostgresServer: one embedded Postgres shared by several services', () => {
  let db: PGlite;
  let server: EmbeddedPostgresServer;
  const pools: pg.Pool[] = [];
  const pool = (schema?: string) => {
    const created = new pg.Pool({ connectionString: server.url, max: 5, ...(schema && { options: `-c search_path="${schema}"` }) });
    pools.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await PGlite.create();
    server = await EmbeddedPostgresServer.start(db, { idleInTransactionMs: 1500 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await server.stop();
    await db.close();
  });

  it('lets services migrate together, each into its own schema, with pools of several connections', async () => {
    const services = ['inventory', 'orders', 'payments', 'notifications'];
    const modules: TestingModule[] = await Promise.all(
      services.map(async (schema) => {
        const moduleRef = await Test.createTestingModule({
          imports: [
            SecureRepositoryModule.forRoot({ url: server.url, schema, pool: { max: 10 }, migrations: [CreateNotes1700000000000], migrationsRun: true }),
            SecureRepositoryModule.forFeature([Note]),
          ],
        }).compile();
        await moduleRef.init();
        return moduleRef;
      }),
    );
    try {
      await Promise.all(
        modules.map(async (moduleRef, i) => {
          const notes = moduleRef.get<SecureRepository<Note>>(getSecureRepositoryToken(Note));
          await Promise.all(Array.from({ length: 20 }, (_, n) => notes.create({ id: `n${n}`, body: services[i] })));
        }),
      );
      for (const [i, moduleRef] of modules.entries()) {
        const notes = moduleRef.get<SecureRepository<Note>>(getSecureRepositoryToken(Note));
        expect(await notes.findById('seed')).toEqual({ id: 'seed', body: services[i] });
        expect(await notes.count({ body: services[i] })).toBe(21);
      }
    } finally {
      await Promise.all(modules.map((m) => m.close()));
    }
  });

  it("answers every connection's parameterized queries with its own results when they run at once", async () => {
    const many = [pool(), pool(), pool()];
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => many[i % 3].query('SELECT $1::int AS n, $2::text AS label', [i, `q${i}`]).then((r) => r.rows[0])),
    );
    expect(answers).toEqual(Array.from({ length: 300 }, (_, i) => ({ n: i, label: `q${i}` })));
  });

  it('keeps a search_path set by a connection itself while others run between its queries', async () => {
    await db.exec('CREATE SCHEMA IF NOT EXISTS own_path');
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query('SET search_path TO own_path');
      await pool('orders').query('SELECT 1');
      expect((await client.query('SELECT current_schema() AS s')).rows[0].s).toBe('own_path');
    } finally {
      await client.end();
    }
  });

  it('runs the other connections only once a transaction ends, which then see its outcome alone', async () => {
    await db.exec('CREATE TABLE IF NOT EXISTS public.counter (n int)');
    const writer = await pool().connect();
    const reader = pool();
    try {
      await writer.query('BEGIN');
      await writer.query('INSERT INTO public.counter VALUES (1)');
      let seen: number | undefined;
      const read = reader.query('SELECT count(*)::int AS n FROM public.counter').then((r) => (seen = r.rows[0].n));
      await sleep(200);
      expect(seen).toBeUndefined();
      await writer.query('INSERT INTO public.counter VALUES (2)');
      await writer.query('ROLLBACK');
      await read;
      expect(seen).toBe(0);
    } finally {
      writer.release();
    }
  });

  it('closes a connection idle in a transaction, rolling it back, so the others go on', async () => {
    await db.exec('CREATE TABLE IF NOT EXISTS public.idle_rows (n int)');
    const idle = new pg.Client({ connectionString: server.url });
    idle.on('error', () => undefined);
    await idle.connect();
    await idle.query('BEGIN');
    await idle.query('INSERT INTO public.idle_rows VALUES (1)');
    const started = Date.now();
    const { rows } = await pool().query('SELECT count(*)::int AS n FROM public.idle_rows');
    expect(rows[0].n).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await expect(idle.query('SELECT 1')).rejects.toThrow();
  });

  it('rolls back the transaction of a connection that goes away, so the others go on', async () => {
    await db.exec('CREATE TABLE IF NOT EXISTS public.gone_rows (n int)');
    const gone = new pg.Client({ connectionString: server.url });
    await gone.connect();
    await gone.query('BEGIN');
    await gone.query('INSERT INTO public.gone_rows VALUES (1)');
    const read = pool().query('SELECT count(*)::int AS n FROM public.gone_rows');
    await sleep(100);
    await gone.end();
    expect((await read).rows[0].n).toBe(0);
    expect(server.connections).toBeGreaterThan(0);
  });

  it('refuses a first message that is not a Postgres startup, closing the connection', async () => {
    const { connect } = await import('node:net');
    const socket = connect(server.address.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    expect((await pool().query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
