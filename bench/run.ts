// `npm run bench`: request/reply and event throughput of raw NATS, NestJS's built-in NATS
// transport and Cliffracer, each server in its own process, measured in one run.
import { ensureNats, uniquePrefix } from '@cliffracer/testing';
import { connect } from '@nats-io/transport-node';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH, benchSubjects } from './bench.config.js';
import { runLoad, type LoadResult } from './load.js';
import { type BenchSystem, SYSTEMS } from './systems.js';
import { printDebugLoggerCost, printEventTable, printRpcTable } from './table.js';

const here = dirname(fileURLToPath(import.meta.url));

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

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function measureEvents(url: string, prefix: string, emit: () => void): Promise<number> {
  const watcher = await connect({ servers: url });
  const done = new Promise<void>((resolve) => watcher.subscribe(benchSubjects(prefix).done, { max: 1, callback: () => resolve() }));
  await watcher.flush();
  const started = performance.now();
  for (let i = 0; i < BENCH.events; i += 1) {
    emit();
    // Yield now and then so the client's socket drains instead of buffering everything.
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  await done;
  const elapsed = performance.now() - started;
  await watcher.close();
  return (BENCH.events / elapsed) * 1000;
}

async function main(): Promise<void> {
  const nats = await ensureNats();
  const rpc = new Map<string, LoadResult[]>();
  const events = new Map<string, number>();
  try {
    for (const system of SYSTEMS) {
      const prefix = uniquePrefix();
      const server = await startServer(system, nats.url, prefix);
      const client = await system.client(nats.url, prefix);
      const results: LoadResult[] = [];
      for (const concurrency of BENCH.concurrencies) {
        process.stderr.write(`${system.name}: ${concurrency} in flight...\n`);
        results.push(await runLoad(() => client.request(), concurrency, BENCH.durationMs, BENCH.warmupMs));
      }
      rpc.set(system.name, results);
      process.stderr.write(`${system.name}: ${BENCH.events} events...\n`);
      events.set(system.name, await measureEvents(nats.url, prefix, () => client.emit()));
      await client.close();
      await stopServer(server);
    }
  } finally {
    await nats.release();
  }
  printRpcTable(rpc, BENCH.concurrencies);
  printEventTable(events);
  printDebugLoggerCost(rpc, events, BENCH.concurrencies);
}

await main();
