import { CliffracerError } from '@cliffracer/common';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** Options of a PostgreSQL cluster started for tests. */
export interface PostgresClusterProcessOptions {
  /** Port to listen on (127.0.0.1 only). @default a free port */
  port?: number;
  /** Folder holding `initdb`, `pg_ctl` and `postgres`. @default the newest version under /usr/lib/postgresql */
  binDir?: string;
  /** Most client connections the server takes. @default 40 */
  maxConnections?: number;
}

/**
 * A PostgreSQL cluster of a test's own: `initdb` in a temporary folder, a server on a free
 * loopback port (no sync to disk, trust authentication). For tests that stop the server or
 * hold its locks, so the machine's shared server is never touched. As root, the server runs
 * as the `postgres` user, since PostgreSQL refuses to run as root.
 *
 * @example
 * await using pg = await PostgresClusterProcess.start();
 * await pg.kill();      // clients now see refused connections
 * await pg.restart();   // same port, same data
 */
export class PostgresClusterProcess {
  private running = false;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
    private readonly asRoot: boolean,
    private readonly maxConnections: number,
  ) {}

  /** Creates the cluster and starts its server; resolves once it accepts connections. */
  static async start(options: PostgresClusterProcessOptions = {}): Promise<PostgresClusterProcess> {
    const bin = options.binDir ?? newestBinaries();
    const dir = await mkdtemp(join(tmpdir(), 'cliffracer-pg-'));
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      await chown(dir, Number(uid.stdout), Number(gid.stdout));
    }
    const cluster = new PostgresClusterProcess(options.port ?? (await freePort()), dir, bin, asRoot, options.maxConnections ?? 40);
    try {
      await cluster.exec('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
      await cluster.restart();
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return cluster;
  }

  /** `postgres://` URL of the cluster's `postgres` database, as the `postgres` user. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** True between a start and a `kill`. */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts the server again (after `kill`) on the same port and data; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.running) return;
    const settings = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=${this.maxConnections}`;
    await this.exec('pg_ctl', ['-D', this.dataDir, '-o', settings, '-l', join(this.dir, 'log'), '-w', 'start']);
    this.running = true;
  }

  /**
   * Stops the server, keeping its data for `restart`: `'fast'` ends sessions and checkpoints,
   * `'immediate'` quits at once as a crash would (recovery runs on restart).
   */
  async kill(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    if (!this.running) return;
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop']);
    this.running = false;
  }

  /** Stops the server and removes the cluster's folder; never throws. */
  async stop(): Promise<void> {
    await this.kill('immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private async exec(tool: string, args: string[]): Promise<void> {
    const path = join(this.bin, tool);
    await (this.asRoot ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args));
  }
}

/** The binaries of the newest PostgreSQL installed under /usr/lib/postgresql. */
function newestBinaries(): string {
  const versions = readdirSync('/usr/lib/postgresql', { withFileTypes: true }).filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name));
  const newest = versions.map((entry) => entry.name).sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new CliffracerError('no PostgreSQL under /usr/lib/postgresql: give binDir', { code: 'POSTGRES_NOT_FOUND' });
  return `/usr/lib/postgresql/${newest}/bin`;
}
