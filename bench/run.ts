// `npm run bench`: request/reply and event throughput of raw nats.js (the ceiling, and with its
// default options), Moleculer, NestJS's built-in NATS transport and Cliffracer, each server and
// client in its own process, measured in one run in rotating windows, with each server's memory;
// then the debug logger's cost (sampled as by default, and writing every entry) and the secure
// repository against plain TypeORM.
import 'reflect-metadata';
import { ensureNats } from '@cliffracer/testing';
import { BENCH } from './bench.config.js';
import { type Comparison, compareSystems } from './compare.js';
import { type CostPair, measureDebugLoggerCost } from './debug-logger-cost.js';
import { measureRepository } from './repository-bench.js';
import { RunningSystem } from './running-system.js';
import { CLIFFRACER_DEBUG, CLIFFRACER_DEBUG_EVERY, SYSTEMS } from './systems.js';
import { printDebugLoggerCost, printEventTable, printMemoryTable, printRepositoryTable, printRpcTable } from './table.js';

async function main(): Promise<void> {
  const nats = await ensureNats();
  let comparison: Comparison;
  let costs: CostPair[] = [];
  try {
    const running: RunningSystem[] = [];
    for (const system of SYSTEMS) running.push(await RunningSystem.start(system, nats.url));
    comparison = await compareSystems(running);
    for (const system of running) await system.close();
    const debugged = await RunningSystem.start(CLIFFRACER_DEBUG, nats.url);
    costs = await measureDebugLoggerCost(debugged);
    await debugged.close();
    // The same without sampling, at one concurrency and on events: what an entry per message costs.
    const everyEntry = await RunningSystem.start(CLIFFRACER_DEBUG_EVERY, nats.url);
    costs.push(...(await measureDebugLoggerCost(everyEntry, [16], ', every entry')));
    await everyEntry.close();
  } finally {
    await nats.release();
  }
  printRpcTable(comparison.rpc, BENCH.concurrencies);
  printEventTable(comparison.events);
  printMemoryTable(comparison.memory);
  printDebugLoggerCost(costs);
  printRepositoryTable(await measureRepository());
}

await main();
