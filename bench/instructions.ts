// `npm run bench:instructions` (needs valgrind): the instructions each server executes per
// request, one request in flight, counted by callgrind after a warm-up. Where the times of
// `npm run bench` move by 5-15% between runs, these counts move by 1-2%, so a change to the
// request path shows its cost here first. The caller is Cliffracer's client for every server:
// the requests carry the same correlation header and only the servers differ.
import 'reflect-metadata';
import { NatsClient } from '@cliffracer/nats-transport';
import { ensureNats, uniquePrefix } from '@cliffracer/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH } from './bench.config.js';
import { CallgrindServer } from './callgrind-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const WARMUP = countFromEnv('BENCH_INSTRUCTIONS_WARMUP', 8000);
const MEASURED = countFromEnv('BENCH_INSTRUCTIONS_REQUESTS', 4000);
/** Two counted batches further apart than this mean the JIT was still compiling: warm up longer. */
const STEADY_SPREAD = 0.03;

const SERVERS = [
  { name: 'raw nats.js (ceiling)', script: 'servers/raw.server.js' },
  { name: 'raw nats.js + AsyncLocalStorage.run', script: 'servers/raw-context.server.js' },
  { name: 'Cliffracer', script: 'servers/cliffracer.server.js' },
];

async function countPerRequest({ name, script }: (typeof SERVERS)[number], label: string, url: string, outDir: string): Promise<number> {
  const prefix = uniquePrefix();
  const server = await CallgrindServer.start(join(here, script), { NATS_URL: url, BENCH_PREFIX: prefix, BENCH_EVENTS: '1000' }, outDir, label);
  const client = new NatsClient({ service: 'bench-caller', servers: url, subjectPrefix: prefix, requestTimeoutMs: 30_000 });
  try {
    await client.connect();
    const calls = async (count: number) => {
      for (let i = 0; i < count; i++) await client.call('bench', 'echo', BENCH.payload);
    };
    await calls(WARMUP);
    const first = await server.measure(() => calls(MEASURED));
    const second = await server.measure(() => calls(MEASURED));
    if (Math.abs(first - second) > STEADY_SPREAD * Math.min(first, second)) {
      console.warn(`${name}: the two counted batches differ by more than ${STEADY_SPREAD * 100}% (${first} and ${second}): raise BENCH_INSTRUCTIONS_WARMUP`);
    }
    return Math.min(first, second) / MEASURED;
  } finally {
    await client.close();
    await server.close();
  }
}

function countFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of requests, not ${JSON.stringify(process.env[name])}`);
  return value;
}

async function main(): Promise<void> {
  const nats = await ensureNats();
  const outDir = await mkdtemp(join(tmpdir(), 'bench-callgrind-'));
  const counts: Array<[string, number]> = [];
  try {
    for (const [i, server] of SERVERS.entries()) {
      console.log(`${server.name}: ${WARMUP} requests of warm-up, then two batches of ${MEASURED} counted...`);
      counts.push([server.name, await countPerRequest(server, `server-${i}`, nats.url, outDir)]);
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
    await nats.release();
  }
  const ceiling = counts[0]![1];
  const width = Math.max(...counts.map(([name]) => name.length));
  console.log(`\nServer instructions per request, 1 in flight (callgrind)\n`);
  console.log(`${'server'.padEnd(width)}  instructions  vs ceiling`);
  for (const [name, perRequest] of counts) {
    console.log(`${name.padEnd(width)}  ${Math.round(perRequest).toLocaleString('en-US').padStart(12)}  ${`${((perRequest / ceiling) * 100).toFixed(0)}%`.padStart(10)}`);
  }
}

await main();
