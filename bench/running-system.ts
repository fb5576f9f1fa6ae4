import { uniquePrefix } from '@cliffracer/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH, benchSubjects } from './bench.config.js';
import { runLoad, type LoadResult } from './load.js';
import type { ServerProbe } from './servers/server-process.js';
import type { BenchClient, BenchSystem } from './systems.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Publish → handler throughput of one system, and the server's CPU time per event. */
export interface EventResult {
  rate: number;
  cpuUsPerEvent: number;
}

/**
 * One system under test, up: its server in a process of its own under a fresh prefix, a
 * client, and a probe connection that asks the server how much CPU time it has used.
 */
export class RunningSystem {
  private constructor(
    readonly system: BenchSystem,
    private readonly prefix: string,
    private readonly server: ChildProcess,
    private readonly client: BenchClient,
    private readonly probe: NatsConnection,
  ) {}

  static async start(system: BenchSystem, url: string): Promise<RunningSystem> {
    const prefix = uniquePrefix();
    const server = await startServer(system, url, prefix);
    return new RunningSystem(system, prefix, server, await system.client(url, prefix), await connect({ servers: url }));
  }

  /** Request/reply load at `concurrency` for `durationMs`, with the server's CPU time per request. */
  async rpc(concurrency: number, durationMs: number): Promise<LoadResult> {
    const cpuBefore = await this.serverCpuUs();
    const result = await runLoad(() => this.client.request(), concurrency, durationMs, BENCH.warmupMs);
    result.cpuUsPerRequest = ((await this.serverCpuUs()) - cpuBefore) / result.completed;
    return result;
  }

  /** `BENCH.events` events published as fast as the client can, until the server handled all. */
  async events(): Promise<EventResult> {
    const cpuBefore = await this.serverCpuUs();
    const done = new Promise<void>((resolve) => this.probe.subscribe(benchSubjects(this.prefix).done, { max: 1, callback: () => resolve() }));
    await this.probe.flush();
    const started = performance.now();
    for (let i = 0; i < BENCH.events; i += 1) {
      this.client.emit();
      // Yield now and then so the client's socket drains instead of buffering everything.
      if (i % 500 === 499) await new Promise((r) => setImmediate(r));
    }
    await done;
    const rate = (BENCH.events / (performance.now() - started)) * 1000;
    return { rate, cpuUsPerEvent: ((await this.serverCpuUs()) - cpuBefore) / BENCH.events };
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.probe.close();
    const exited = once(this.server, 'exit');
    this.server.kill('SIGTERM');
    await exited;
  }

  /** The server's CPU time and handled events so far. */
  async serverProbe(): Promise<ServerProbe> {
    const reply = await this.probe.request(benchSubjects(this.prefix).probe, '', { timeout: 5000 });
    return reply.json<ServerProbe>();
  }

  /** Pauses or resumes the debug logger's timing in a server that runs it. */
  async setDebugLogger(on: boolean): Promise<void> {
    await this.probe.request(benchSubjects(this.prefix).debugSwitch, on ? 'on' : 'off', { timeout: 5000 });
  }

  /** A request to the service, as the load sends it. */
  request(): Promise<unknown> {
    return this.client.request();
  }

  /** An event to the service, as the load publishes it. */
  emit(): void {
    this.client.emit();
  }

  private async serverCpuUs(): Promise<number> {
    return (await this.serverProbe()).cpuUs;
  }
}

async function startServer(system: BenchSystem, url: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(here, system.server)], {
    env: { ...process.env, NATS_URL: url, BENCH_PREFIX: prefix, BENCH_EVENTS: String(BENCH.events), ...system.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    if (output.includes('ready')) return child;
  }
  throw new Error(`${system.name} server exited before it was ready`);
}
