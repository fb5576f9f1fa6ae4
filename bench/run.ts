// `npm run bench`: request/reply and event throughput of raw NATS, NestJS's built-in NATS
// transport and Cliffracer, each server in its own process, measured in one run; then the
// debug logger's cost and the secure repository against plain TypeORM.
import 'reflect-metadata';
import { ensureNats } from '@cliffracer/testing';
import { BENCH } from './bench.config.js';
import { type CostPair, measureDebugLoggerCost } from './debug-logger-cost.js';
import type { LoadResult } from './load.js';
import { measureRepository } from './repository-bench.js';
import { type EventResult, RunningSystem } from './running-system.js';
import { CLIFFRACER_DEBUG, SYSTEMS } from './systems.js';
import { printDebugLoggerCost, printEventTable, printRepositoryTable, printRpcTable } from './table.js';

async function main(): Promise<void> {
  const nats = await ensureNats();
  const rpc = new Map<string, LoadResult[]>();
  const events = new Map<string, EventResult>();
  let costs: CostPair[] = [];
  try {
    for (const system of SYSTEMS) {
      const running = await RunningSystem.start(system, nats.url);
      const results: LoadResult[] = [];
      for (const concurrency of BENCH.concurrencies) {
        process.stderr.write(`${system.name}: ${concurrency} in flight...\n`);
        results.push(await running.rpc(concurrency, BENCH.durationMs));
      }
      rpc.set(system.name, results);
      process.stderr.write(`${system.name}: ${BENCH.events} events...\n`);
      events.set(system.name, await running.events());
      await running.close();
    }
    const debugged = await RunningSystem.start(CLIFFRACER_DEBUG, nats.url);
    costs = await measureDebugLoggerCost(debugged);
    await debugged.close();
  } finally {
    await nats.release();
  }
  printRpcTable(rpc, BENCH.concurrencies);
  printEventTable(events);
  printDebugLoggerCost(costs);
  printRepositoryTable(await measureRepository());
}

await main();
