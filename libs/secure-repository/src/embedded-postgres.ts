import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * An embedded Postgres (PGlite, Postgres compiled to WebAssembly) served on a loopback port
 * through the Postgres wire protocol, so the same `pg` driver and TypeORM code run against it
 * as against a real server. One connection: PGlite has a single session, and sharing it
 * between pool connections would mix their transactions.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    /** `postgres://` URL of the embedded server. */
    readonly url: string,
  ) {}

  /**
   * Opens (or creates) the database in `dir` (`'memory'`: in memory) and serves it, with
   * `schema` (a checked identifier) created and first on the search path of its one session.
   */
  static async start(dir: string, schema = 'public'): Promise<EmbeddedPostgres> {
    const dataDir = dir === 'memory' ? undefined : resolve(dir);
    if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
    if (schema !== 'public') await db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"; SET search_path TO "${schema}"`);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const { port } = new URL(`postgres://${server.getServerConn()}`);
    return new EmbeddedPostgres(db, server, `postgres://postgres@127.0.0.1:${port}/postgres`);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
