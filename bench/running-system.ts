import { uniquePrefix } from '@cliffracer/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH, benchSubjects } from './bench.config.js';
import { ClientProcess } from './client-channel.js';
import type { LoadResult } from './load.js';
import type { ServerProbe } from './servers/server-process.js';
import type { BenchSystem } from './systems.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Publish → handler throughput of one system, and the server's CPU time per event. */
export interface EventResult {
  rate: number;
  cpuUsPerEvent: number;
  count: number;
  elapsedMs: number;
  cpuUs: number;
}

/** Events of one batch: the servers announce each batch they complete. */
export function eventBatch(): number {
  return Math.max(1, Math.floor(BENCH.events / BENCH.rounds));
}

/** Several batches of one system as one. */
export function combineEvents(batches: EventResult[]): EventResult {
  const count = batches.reduce((sum, b) => sum + b.count, 0);
  const elapsedMs = batches.reduce((sum, b) => sum + b.elapsedMs, 0);
  const cpuUs = batches.reduce((sum, b) => sum + b.cpuUs, 0);
  return { rate: (count / elapsedMs) * 1000, cpuUsPerEvent: cpuUs / count, count, elapsedMs, cpuUs };
}

/**
 * One system under test, up: its server and its client each in a process of their own under a
 * fresh prefix, and a probe connection that asks the server how much CPU time it has used.
 */
export class RunningSystem {
  private constructor(
    readonly system: BenchSystem,
    private readonly prefix: string,
    private readonly server: ChildProcess,
    private readonly client: ClientProcess,
    private readonly probe: NatsConnection,
  ) {}

  static async start(system: BenchSystem, url: string): Promise<RunningSystem> {
    const prefix = uniquePrefix();
    const server = await startServer(system, url, prefix);
    return new RunningSystem(system, prefix, server, await ClientProcess.start(system.name, url, prefix), await connect({ servers: url }));
  }

  /**
   * Request/reply load at `concurrency` for `durationMs` after `warmupMs`, with the server's CPU
   * time per request.
   */
  async rpc(concurrency: number, durationMs: number, warmupMs: number = BENCH.warmupMs): Promise<LoadResult> {
    const cpuBefore = await this.serverCpuUs();
    const result = await this.client.rpc(concurrency, durationMs, warmupMs);
    result.cpuUs = (await this.serverCpuUs()) - cpuBefore;
    result.cpuUsPerRequest = result.cpuUs / result.completed;
    return result;
  }

  /** One batch of `eventBatch()` events published as fast as the client can, until the server handled all. */
  async events(): Promise<EventResult> {
    const cpuBefore = await this.serverCpuUs();
    const done = new Promise<void>((resolve) => this.probe.subscribe(benchSubjects(this.prefix).done, { max: 1, callback: () => resolve() }));
    await this.probe.flush();
    const started = performance.now();
    const count = eventBatch();
    await this.client.emit(count);
    await done;
    const elapsedMs = performance.now() - started;
    const cpuUs = (await this.serverCpuUs()) - cpuBefore;
    return { rate: (count / elapsedMs) * 1000, cpuUsPerEvent: cpuUs / count, count, elapsedMs, cpuUs };
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

  /** Requests kept in flight until stopped, as the load sends them. */
  steadyRequests(concurrency: number): Promise<{ answered(): Promise<number>; stop(): Promise<void> }> {
    return this.client.steady(concurrency);
  }

  /** `count` events to the service, as the load publishes them. */
  emit(count: number): Promise<void> {
    return this.client.emit(count);
  }

  private async serverCpuUs(): Promise<number> {
    return (await this.serverProbe()).cpuUs;
  }
}

async function startServer(system: BenchSystem, url: string, prefix: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(here, system.server)], {
    env: { ...process.env, NATS_URL: url, BENCH_PREFIX: prefix, BENCH_EVENTS: String(eventBatch()), ...system.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  for await (const chunk of child.stdout!) {
    output += String(chunk);
    if (output.includes('ready')) return child;
  }
  throw new Error(`${system.name} server exited before it was ready`);
}
