// `npm run bench:instructions` (needs valgrind): the instructions each server executes per
// request, one request in flight, counted by callgrind after a warm-up. Where the times of
// `npm run bench` move by 5-15% between runs, these counts move by 1-2% (the JIT compiles in the
// background), so a change to the request path shows its cost here first. The caller is Cliffracer's client for every server, so the
// requests carry the same correlation header and only the servers differ.
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
const WARMUP = Number(process.env.BENCH_INSTRUCTIONS_WARMUP ?? 8000);
const MEASURED = Number(process.env.BENCH_INSTRUCTIONS_REQUESTS ?? 4000);

const SERVERS = [
  { name: 'raw nats.js (ceiling)', script: 'servers/raw.server.js' },
  { name: 'raw nats.js + AsyncLocalStorage.run', script: 'servers/raw-context.server.js' },
  { name: 'Cliffracer', script: 'servers/cliffracer.server.js' },
];

async function countPerRequest(script: string, label: string, url: string, outDir: string): Promise<number> {
  const prefix = uniquePrefix();
  const server = await CallgrindServer.start(join(here, script), { NATS_URL: url, BENCH_PREFIX: prefix, BENCH_EVENTS: '1000' }, outDir, label);
  const client = new NatsClient({ service: 'bench-caller', servers: url, subjectPrefix: prefix, requestTimeoutMs: 30_000 });
  try {
    await client.connect();
    const calls = async (count: number) => {
      for (let i = 0; i < count; i++) await client.call('bench', 'echo', BENCH.payload);
    };
    await calls(WARMUP);
    return (await server.measure(() => calls(MEASURED))) / MEASURED;
  } finally {
    await client.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const nats = await ensureNats();
  const outDir = await mkdtemp(join(tmpdir(), 'bench-callgrind-'));
  const counts: Array<[string, number]> = [];
  try {
    for (const [i, { name, script }] of SERVERS.entries()) {
      console.log(`${name}: ${WARMUP} requests of warm-up, then ${MEASURED} counted...`);
      counts.push([name, await countPerRequest(script, `server-${i}`, nats.url, outDir)]);
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
