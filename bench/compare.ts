import { BENCH } from './bench.config.js';
import { combineLoads, type LoadResult } from './load.js';
import { combineEvents, type EventResult, type RunningSystem } from './running-system.js';

/** A server's resident memory once warmed up and at the end of the whole comparison. */
export interface MemoryResult {
  warmRssBytes: number;
  endRssBytes: number;
}

/** The comparison's figures per system: one load result per concurrency, events, memory. */
export interface Comparison {
  rpc: Map<string, LoadResult[]>;
  events: Map<string, EventResult>;
  memory: Map<string, MemoryResult>;
}

/**
 * Measures every system, all running at once, in `BENCH.rounds` rounds per workload: each round
 * gives every system one window in turn (the order rotating), and each system's windows are
 * combined. A noisy neighbour or a slow drift of the shared machine then weighs on every
 * system alike, instead of on whichever happened to run at that moment.
 */
export async function compareSystems(systems: RunningSystem[]): Promise<Comparison> {
  const rpc = new Map<string, LoadResult[]>(systems.map((s) => [s.system.name, []]));
  const windowMs = Math.max(100, Math.floor(BENCH.durationMs / BENCH.rounds));
  // Memory is taken once every system has run every workload (each concurrency, a batch of
  // events): a leak shows as growth from there, not the buffers a heavier load sizes up once.
  process.stderr.write('warming up every workload...\n');
  for (const concurrency of BENCH.concurrencies) for (const system of systems) await system.rpc(concurrency, 0, BENCH.warmupMs);
  for (const system of systems) await system.events();
  const warmRss = new Map<string, number>();
  for (const system of systems) warmRss.set(system.system.name, (await system.serverProbe()).rssBytes);
  for (const concurrency of BENCH.concurrencies) {
    process.stderr.write(`${concurrency} in flight: warming up, then ${BENCH.rounds} rounds of ${windowMs} ms per system...\n`);
    for (const system of systems) await system.rpc(concurrency, 0, BENCH.warmupMs);
    const windows = new Map<string, LoadResult[]>(systems.map((s) => [s.system.name, []]));
    for (let round = 0; round < BENCH.rounds; round += 1) {
      for (const system of rotated(systems, round)) windows.get(system.system.name)!.push(await system.rpc(concurrency, windowMs, BENCH.windowWarmupMs));
    }
    for (const [name, runs] of windows) rpc.get(name)!.push(combineLoads(runs));
  }
  process.stderr.write(`events: ${BENCH.rounds} rounds of ${Math.floor(BENCH.events / BENCH.rounds)} per system...\n`);
  const batches = new Map<string, EventResult[]>(systems.map((s) => [s.system.name, []]));
  for (let round = 0; round < BENCH.rounds; round += 1) {
    for (const system of rotated(systems, round)) batches.get(system.system.name)!.push(await system.events());
  }
  const events = new Map([...batches].map(([name, runs]) => [name, combineEvents(runs)]));
  const memory = new Map<string, MemoryResult>();
  for (const system of systems) memory.set(system.system.name, { warmRssBytes: warmRss.get(system.system.name)!, endRssBytes: (await system.serverProbe()).rssBytes });
  return { rpc, events, memory };
}

function rotated<T>(items: T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
