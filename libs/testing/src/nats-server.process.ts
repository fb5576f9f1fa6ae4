import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './free-port.js';

/** Options of a `nats-server` started for tests. */
export interface NatsServerProcessOptions {
  /** Port to listen on. @default a free port */
  port?: number;
  /** Enable JetStream (storage in a temporary folder, removed on stop). @default true */
  jetstream?: boolean;
  /** The executable. @default 'nats-server' (from PATH) */
  binary?: string;
  /** Server name, as cluster routes and JetStream placement report it. @default nats-server's own */
  name?: string;
  /** Join a cluster: listen for routes on `port`, connect to the other nodes' `routes`. */
  cluster?: { name: string; port: number; routes: string[] };
  /** Largest message the server takes, in bytes (its `max_payload`). @default nats-server's own, 1 MiB */
  maxPayload?: number;
  /**
   * More nats-server configuration (its config-file syntax), appended to the file the server
   * starts with: `tls { … }`, `authorization { … }`, `accounts { … }`.
   * @default none
   */
  config?: string;
  /** Environment variables added to the server's own, for `$VARIABLE`s in `config`. @default none */
  env?: Record<string, string>;
}

/**
 * A `nats-server` process on 127.0.0.1 owned by a test: stop it, restart it on the same
 * port (to test reconnection), or let `await using` stop it.
 */
export class NatsServerProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly options: NatsServerProcessOptions,
  ) {}

  /** Starts a server and waits until it accepts connections. */
  static async start(options: NatsServerProcessOptions = {}): Promise<NatsServerProcess> {
    const port = options.port ?? (await freePort());
    const dir = await mkdtemp(join(tmpdir(), 'cliffracer-nats-'));
    // max_payload, TLS and authorization have no (complete) command-line flags: they go in a configuration file.
    if (hasConfigFile(options)) {
      const lines = [options.maxPayload !== undefined ? `max_payload: ${options.maxPayload}` : '', options.config ?? ''];
      await writeFile(join(dir, 'nats.conf'), `${lines.filter(Boolean).join('\n')}\n`);
    }
    const server = new NatsServerProcess(port, dir, options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** True while the process lives: one killed by a signal has no exit code, only a signal code. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process again (after `kill`), on the same port and store. */
  async restart(): Promise<void> {
    if (this.running) return;
    const { name, cluster, binary = 'nats-server', jetstream = true } = this.options;
    const args = ['-a', '127.0.0.1', '-p', String(this.port)];
    if (hasConfigFile(this.options)) args.push('-c', join(this.dir, 'nats.conf'));
    if (jetstream) args.push('-js', '-sd', join(this.dir, 'jetstream'));
    if (name !== undefined) args.push('--name', name);
    if (cluster !== undefined) {
      args.push('--cluster_name', cluster.name, '--cluster', `nats://127.0.0.1:${cluster.port}`, '--routes', cluster.routes.join(','));
    }
    const env = this.options.env === undefined ? undefined : { ...process.env, ...this.options.env };
    const child = spawn(binary, args, { stdio: 'ignore', ...(env !== undefined && { env }) });
    this.child = child;
    const failed = once(child, 'error').then(([error]) => {
      throw error as Error;
    });
    await Promise.race([waitForPort('127.0.0.1', this.port, 10_000), failed]);
  }

  /**
   * Stops the process (SIGTERM, then SIGKILL), keeping its store for `restart`. `SIGKILL`
   * stops it at once, as a crashed machine would.
   */
  async kill(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops the process and removes its store. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

function hasConfigFile(options: NatsServerProcessOptions): boolean {
  return options.maxPayload !== undefined || options.config !== undefined;
}
