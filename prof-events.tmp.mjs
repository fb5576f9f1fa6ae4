// Publishes N events to the Cliffracer bench server started with --cpu-prof; waits for done.
import { connect } from '@nats-io/transport-node';
import { spawn } from 'node:child_process';
const prefix = 'prof' + Date.now();
const N = Number(process.env.N ?? 200000);
const server = spawn(process.execPath, [process.env.SERVER ?? 'dist/bench/servers/cliffracer.server.js'], { env: { ...process.env, NATS_URL: 'nats://127.0.0.1:4222', BENCH_PREFIX: prefix, BENCH_EVENTS: String(N) }, stdio: ['ignore', 'pipe', 'inherit'] });
for await (const c of server.stdout) if (String(c).includes('ready')) break;
const nc = await connect({ servers: 'nats://127.0.0.1:4222', noAsyncTraces: true });
const done = new Promise((r) => nc.subscribe(`${prefix}.bench.done`, { max: 1, callback: r }));
const probe = async () => JSON.parse((await nc.request(`${prefix}.bench.probe`, '')).string());
const body = JSON.stringify({ sku: 'KB-101', quantity: 3, orderId: 'order-1' });
const before = await probe();
const t = performance.now();
for (let i = 0; i < N; i++) { nc.publish(`${prefix}.bench.evt`, body); if (i % 500 === 499) await new Promise((r) => setImmediate(r)); }
await done;
const after = await probe();
console.log('events/s', (N / (performance.now() - t) * 1000).toFixed(0), 'server µs/event', ((after.cpuUs - before.cpuUs) / N).toFixed(2));
server.kill('SIGTERM'); await new Promise((r) => server.on('exit', r)); await nc.close();
