import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH } from './bench.config.js';
import type { RunningSystem } from './running-system.js';

/** One window pair of a workload: the debug logger's timing off, then on (or on, then off). */
export interface CostPair {
  workload: string;
  off: WindowResult;
  on: WindowResult;
}

/** What one window saw: messages handled, over how long, and the server CPU time used. */
export interface WindowResult {
  handled: number;
  elapsedMs: number;
  cpuUs: number;
}

/** A load that runs until stopped, counting what the service handled. */
interface SteadyLoad {
  handled(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The debug logger's cost, measured in one service under steady load whose timing is paused
 * and resumed in short alternating windows (`BENCH.costWindows` pairs of `costWindowMs`), so
 * each off window and its on window see the same machine. Noise from other processes, which
 * would swamp a few percent between two separate runs, falls on both sides alike.
 */
export async function measureDebugLoggerCost(service: RunningSystem, concurrencies: readonly number[] = BENCH.concurrencies, label = ''): Promise<CostPair[]> {
  const pairs: CostPair[] = [];
  for (const concurrency of concurrencies) {
    process.stderr.write(`debug logger cost${label}: ${concurrency} in flight...\n`);
    pairs.push(...(await alternate(service, `rpc, ${concurrency} in flight${label}`, await requestLoad(service, concurrency))));
  }
  process.stderr.write(`debug logger cost${label}: events...\n`);
  pairs.push(...(await alternate(service, `events${label}`, eventLoad(service))));
  await service.setDebugLogger(true);
  return pairs;
}

async function alternate(service: RunningSystem, workload: string, load: SteadyLoad): Promise<CostPair[]> {
  const pairs: CostPair[] = [];
  await sleep(BENCH.warmupMs);
  for (let i = 0; i < BENCH.costWindows; i += 1) {
    const order = i % 2 === 0 ? [false, true] : [true, false];
    const results = new Map<boolean, WindowResult>();
    for (const on of order) results.set(on, await window(service, load, on));
    pairs.push({ workload, off: results.get(false)!, on: results.get(true)! });
  }
  await load.stop();
  return pairs;
}

async function window(service: RunningSystem, load: SteadyLoad, on: boolean): Promise<WindowResult> {
  await service.setDebugLogger(on);
  const [before, handledBefore, startedAt] = [await service.serverProbe(), await load.handled(), performance.now()];
  await sleep(BENCH.costWindowMs);
  const [after, handledAfter, endedAt] = [await service.serverProbe(), await load.handled(), performance.now()];
  return { handled: handledAfter - handledBefore, elapsedMs: endedAt - startedAt, cpuUs: after.cpuUs - before.cpuUs };
}

async function requestLoad(service: RunningSystem, concurrency: number): Promise<SteadyLoad> {
  const load = await service.steadyRequests(concurrency);
  return { handled: () => load.answered(), stop: () => load.stop() };
}

// Publishes as fast as the service keeps up, never more than a few thousand events ahead,
// so that the backlog stays bounded and the server is never cut off as a slow consumer.
function eventLoad(service: RunningSystem): SteadyLoad {
  const AHEAD = 4000;
  let running = true;
  let published = 0;
  const publisher = (async () => {
    while (running) {
      if (published - (await service.serverProbe()).handled > AHEAD) {
        await sleep(1);
        continue;
      }
      await service.emit(1000);
      published += 1000;
    }
  })();
  return {
    handled: async () => (await service.serverProbe()).handled,
    stop: async () => {
      running = false;
      await publisher;
    },
  };
}
