import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from './load.js';

/** What the runner asks of a client process. */
export type ClientCommand =
  | { cmd: 'rpc'; concurrency: number; durationMs: number; warmupMs: number }
  | { cmd: 'emit'; count: number }
  | { cmd: 'steady-start'; concurrency: number }
  | { cmd: 'steady-count' }
  | { cmd: 'steady-stop' }
  | { cmd: 'close' };

/** A client process's answer to the command with the same id. */
export interface ClientReply {
  id: number;
  result?: unknown;
  error?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/** A system's client running in its own process, driven over IPC. */
export class ClientProcess {
  private next = 1;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: ClientReply) => {
      const waiting = this.waiting.get(reply.id);
      if (waiting === undefined) return;
      this.waiting.delete(reply.id);
      if (reply.error === undefined) waiting.resolve(reply.result);
      else waiting.reject(new Error(reply.error));
    });
  }

  static async start(system: string, url: string, prefix: string): Promise<ClientProcess> {
    const child = fork(join(here, 'client.main.js'), { env: { ...process.env, BENCH_SYSTEM: system, NATS_URL: url, BENCH_PREFIX: prefix }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ready = await Promise.race([
      once(child, 'message').then(([reply]) => reply as ClientReply),
      once(child, 'exit').then(([code]) => ({ id: 0, error: `exited with code ${code}` }) as ClientReply),
    ]);
    if (ready.result !== 'ready') throw new Error(`the ${system} client did not start: ${ready.error}`);
    return new ClientProcess(child);
  }

  rpc(concurrency: number, durationMs: number, warmupMs: number): Promise<LoadResult> {
    return this.send({ cmd: 'rpc', concurrency, durationMs, warmupMs }) as Promise<LoadResult>;
  }

  /** Publishes `count` events; resolves once they are all handed to the socket. */
  async emit(count: number): Promise<void> {
    await this.send({ cmd: 'emit', count });
  }

  /** A load of `concurrency` requests in flight that runs until `stop`, counting answers. */
  async steady(concurrency: number): Promise<{ answered(): Promise<number>; stop(): Promise<void> }> {
    await this.send({ cmd: 'steady-start', concurrency });
    return {
      answered: async () => (await this.send({ cmd: 'steady-count' })) as number,
      stop: async () => {
        await this.send({ cmd: 'steady-stop' });
      },
    };
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    await this.send({ cmd: 'close' });
    await exited;
  }

  private send(command: ClientCommand): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, command });
    });
  }
}
