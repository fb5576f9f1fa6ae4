// `npm run demo`: starts the sample inventory service and the HTTP gateway, each as its own
// process on NATS (the one at NATS_URL, or a nats-server started here), walks through their
// RPCs, events and HTTP routes, then keeps them running until Ctrl-C. `--once` stops after
// the walk-through.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ensureNats, callRpc, EventRecorder } = await import(join(root, 'dist/libs/testing/src/index.js'));
const { CorrelationContext } = await import(join(root, 'dist/libs/correlation/src/index.js'));
const once = process.argv.includes('--once');
const prefix = process.env.NATS_SUBJECT_PREFIX ?? 'demo';

const nats = await ensureNats();
const port = process.env.GATEWAY_PORT ?? '3000';
const env = { ...process.env, NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix };
const services = [
  spawn(process.execPath, [join(root, 'dist/apps/inventory/src/main.js')], {
    env: { INVENTORY_DATA_DIR: 'memory', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  }),
  // The demo's token secret lives as long as the demo; a deployment sets its own JWT_SECRET.
  spawn(process.execPath, [join(root, 'dist/apps/gateway/src/main.js')], {
    env: { JWT_SECRET: randomBytes(32).toString('hex'), ...env, GATEWAY_PORT: port },
    stdio: ['ignore', 'inherit', 'inherit'],
  }),
];
const target = { servers: nats.url, subjectPrefix: prefix };
const base = `http://127.0.0.1:${port}`;

async function stop(code = 0) {
  await Promise.all(
    services.map((service) => {
      service.kill('SIGTERM');
      return new Promise((resolve) => (service.exitCode === null ? service.once('exit', resolve) : resolve()));
    }),
  );
  await nats.release();
  process.exit(code);
}

async function http(method, path, { token, body } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }), 'x-correlation-id': 'demo-http-1' },
    body: body && JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function waitForGateway() {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`the gateway did not answer on ${base} within 15s`);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

async function waitUntilReady() {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      return await callRpc(target, 'inventory', 'get_stock', { sku: 'KB-101' }, { timeoutMs: 500 });
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('the inventory service did not answer within 15s');
}

async function step(title, run) {
  try {
    console.log(`\n▶ ${title}\n  ${JSON.stringify(await run())}`);
  } catch (error) {
    console.log(`\n▶ ${title}\n  ${error.name} (${error.remoteName ?? error.code}): ${error.message}`);
  }
}

try {
  await waitUntilReady();
  const events = await EventRecorder.start(nats.url, `${prefix}.inventory.events.>`);
  await step('inventory.get_stock MN-303', () => callRpc(target, 'inventory', 'get_stock', { sku: 'MN-303' }));
  await step('inventory.reserve 2 x MN-303 (correlation ID demo-order-1: see it on the service log lines)', () =>
    CorrelationContext.run('demo-order-1', () =>
      callRpc(target, 'inventory', 'reserve', { sku: 'MN-303', quantity: 2, orderId: 'order-1' }),
    ),
  );
  await step('event seen on inventory.events.reserved', async () => (await events.waitFor(1))[0].payload);
  await step('inventory.reserve 50 x MN-303: out of stock, a typed remote error', () =>
    callRpc(target, 'inventory', 'reserve', { sku: 'MN-303', quantity: 50, orderId: 'order-2' }),
  );
  await step('inventory.reserve with a bad payload: a validation error, the handler never runs', () =>
    callRpc(target, 'inventory', 'reserve', { sku: "x'; DROP TABLE stock;--", quantity: -1 }),
  );
  await step('inventory.nothing: no responders, answered at once', () => callRpc(target, 'inventory', 'nothing'));
  await events.close();
  await waitForGateway();
  await step(`HTTP POST ${base}/api/reservations without a token: 401`, () => http('POST', '/api/reservations', { body: { sku: 'KB-101', quantity: 1 } }));
  const login = await http('POST', '/api/login', { body: { username: 'ann', password: 'ann-password' } });
  await step('HTTP POST /api/login as ann: a token', async () => ({ status: login.status, token: `${login.body.token.slice(0, 24)}…` }));
  await step('HTTP POST /api/reservations 1 x KB-101 as ann: the gateway calls inventory.reserve', () =>
    http('POST', '/api/reservations', { token: login.body.token, body: { sku: 'KB-101', quantity: 1 } }),
  );
  await step('HTTP POST /api/reservations 500 x MN-303: 422, the service refused', () =>
    http('POST', '/api/reservations', { token: login.body.token, body: { sku: 'MN-303', quantity: 500 } }),
  );
  await step('HTTP GET /health/detailed', async () => (await http('GET', '/health/detailed')).body);
  if (once) await stop(0);
  console.log(`\nThe services keep running on ${nats.url} under the subject prefix "${prefix}". Try:`);
  console.log(`  curl ${base}/api/stock/KB-101`);
  console.log(`  TOKEN=$(curl -s -X POST ${base}/api/login -H 'content-type: application/json' -d '{"username":"ann","password":"ann-password"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`);
  console.log(`  curl -X POST ${base}/api/reservations -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"sku":"KB-101","quantity":1}'`);
  console.log(`  curl ${base}/metrics`);
  console.log(`  nats req ${prefix}.inventory.get_stock '{"sku":"KB-101"}'   (with the NATS CLI, if installed)`);
  console.log('Press Ctrl-C to stop.');
} catch (error) {
  console.error(error);
  await stop(1);
}
