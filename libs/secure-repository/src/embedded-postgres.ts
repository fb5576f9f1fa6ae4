import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EmbeddedPostgresServer, type EmbeddedPostgresServerOptions } from './embedded-postgres.server.js';

/**
 * Postgres' default shared_buffers (128 MB) is allocated up front inside PGlite's WebAssembly
 * memory, which never shrinks: 16 MB keeps about 170 MB of each embedded database's resident
 * memory for a demo- or test-sized data set.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * An embedded Postgres (PGlite, Postgres compiled to WebAssembly) served on a loopback port
 * through the Postgres wire protocol, so the same `pg` driver and TypeORM code run against it
 * as against a real server.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: { stop(): Promise<void> },
    /** `postgres://` URL of the embedded server. */
    readonly url: string,
  ) {}

  /**
   * A service's own database: opens (or creates) it in `dir` (`'memory'`: in memory) and
   * serves it with `schema` (a checked identifier) created and first on the search path of
   * its one session. One connection: sharing the session between pool connections would mix
   * their transactions.
   */
  static async start(dir: string, schema = 'public'): Promise<EmbeddedPostgres> {
    const db = await open(dir);
    if (schema !== 'public') await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}"`);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const { port } = new URL(`postgres://${server.getServerConn()}`);
    return new EmbeddedPostgres(db, server, `postgres://postgres@127.0.0.1:${port}/postgres`);
  }

  /**
   * One database for several services on one machine (`npm run demo`): opens it in `dir`
   * (`'memory'`: in memory) and serves it to any number of pooled connections, each service
   * in the schema its connections name (`DATABASE_URL` plus `DATABASE_SCHEMA`); see
   * `EmbeddedPostgresServer` for how the one PGlite session is shared.
   */
  static async serve(dir: string, options: EmbeddedPostgresServerOptions = {}): Promise<EmbeddedPostgres> {
    const db = await open(dir);
    const server = await EmbeddedPostgresServer.start(db, options);
    return new EmbeddedPostgres(db, server, server.url);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}

async function open(dir: string): Promise<PGlite> {
  const dataDir = dir === 'memory' ? undefined : resolve(dir);
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  return PGlite.create({ ...(dataDir !== undefined && { dataDir }), startParams: START_PARAMS });
}
