// `npm run demo`: starts the sample shop (inventory, payments, orders, notifications and the
// HTTP/WebSocket gateway, each its own process) on NATS (the server at NATS_URL, or a
// nats-server started here), walks through an order over HTTP with its live notifications,
// then keeps it all running until Ctrl-C and prints how to try it. `--once` stops after the
// walk-through.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startServices, stopServices, waitForHealth } from './demo-services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ensureNats, freePort, removeDurableStream } = await import('@cliffracer/testing');
const { formatSessionId } = await import('@cliffracer/debug-logger');
const once = process.argv.includes('--once');
const prefix = process.env.NATS_SUBJECT_PREFIX ?? 'demo';
const debugDir = resolve(process.env.DEBUG_LOG_DIR ?? join(root, 'debug_logs'));
const sessionId = formatSessionId();

const nats = await ensureNats();
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 3000);
const { services, secrets } = await startServices({ root, natsUrl: nats.url, prefix, debugDir, sessionId, freePort, gatewayPort });
const base = `http://127.0.0.1:${gatewayPort}`;
// The backdoor token is this run's secret: kept in an owner-only file, never printed.
const tokenFile = join(root, '.local/demo/backdoor-token');
await mkdir(dirname(tokenFile), { recursive: true, mode: 0o700 });
await writeFile(tokenFile, `${secrets.backdoor}\n`, { mode: 0o600 });

async function stop(code = 0) {
  await stopServices(services);
  await rm(tokenFile, { force: true });
  // The services kept their data in memory: their stored events go with it.
  await removeDurableStream(nats.url, prefix).catch(() => undefined);
  await nats.release();
  process.exit(code);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

async function http(method, path, { token, body, correlationId } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
      ...(correlationId && { 'x-correlation-id': correlationId }),
    },
    body: body && JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** The customer's live notifications over the gateway's WebSocket. */
async function liveFeed(token) {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${token}` } });
  const frames = [];
  socket.on('message', (raw) => frames.push(JSON.parse(String(raw))));
  await new Promise((ok, fail) => socket.once('open', ok).once('error', fail));
  socket.send(JSON.stringify({ event: 'subscribe', data: { topic: 'notifications' } }));
  return { socket, frames };
}

async function step(title, run) {
  try {
    console.log(`\n▶ ${title}\n  ${JSON.stringify(await run())}`);
  } catch (error) {
    console.log(`\n▶ ${title}\n  ${error.name}: ${error.message}`);
  }
}

const brief = ({ status, body }) => ({ status, id: body.id, state: body.status, amountCents: body.amountCents, failure: body.failure ?? undefined, code: body.code });

try {
  await waitForHealth(root, services);
  const login = await http('POST', '/api/login', { body: { username: 'ann', password: 'ann-password' } });
  const token = login.body.token;
  const feed = await liveFeed(token);
  await step('POST /api/login as ann: a token', async () => ({ status: login.status, token: `${token.slice(0, 24)}…` }));
  await step('POST /api/orders 2 x KB-101 (X-Correlation-ID demo-order-1): reserved, charged, paid', async () =>
    brief(await http('POST', '/api/orders', { token, body: { sku: 'KB-101', quantity: 2, paymentToken: 'tok_visa' }, correlationId: 'demo-order-1' })),
  );
  const declined = await http('POST', '/api/orders', { token, body: { sku: 'MS-202', quantity: 1, paymentToken: 'tok_declined' }, correlationId: 'demo-order-2' });
  await step('POST /api/orders with a declined card: the order waits for a payment', async () => brief(declined));
  await step(`POST /api/orders/${declined.body.id}/pay with another card: paid`, async () =>
    brief(await http('POST', `/api/orders/${declined.body.id}/pay`, { token, body: { paymentToken: 'tok_visa' } })),
  );
  await step('POST /api/orders 100 x MN-303: 422, the inventory refused', async () =>
    brief(await http('POST', '/api/orders', { token, body: { sku: 'MN-303', quantity: 100, paymentToken: 'tok_visa' } })),
  );
  await step('POST /api/orders without a token: 401', async () => brief(await http('POST', '/api/orders', { body: { sku: 'KB-101', quantity: 1, paymentToken: 'tok_visa' } })));
  await new Promise((r) => setTimeout(r, 500));
  await step('notifications pushed on the WebSocket (durable order events → notifications → gateway)', async () =>
    feed.frames.filter((f) => f.event === 'notifications').map((f) => `${f.data.kind} [cid=${f.correlationId}]: ${f.data.message}`),
  );
  await step('GET /health/detailed of the gateway', async () => (await http('GET', '/health/detailed')).body);
  feed.socket.close();
  if (once) await stop(0);
  console.log(`\nThe shop keeps running on ${nats.url} under the subject prefix "${prefix}". Try:`);
  console.log(`  TOKEN=$(curl -s -X POST ${base}/api/login -H 'content-type: application/json' -d '{"username":"ann","password":"ann-password"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`);
  console.log(`  curl -X POST ${base}/api/orders -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"sku":"KB-101","quantity":1,"paymentToken":"tok_visa"}'`);
  console.log(`  curl ${base}/api/orders -H "authorization: Bearer $TOKEN"          (tok_declined / tok_insufficient_funds decline; unpaid orders expire after 2 min)`);
  console.log(`  curl ${base}/api/notifications -H "authorization: Bearer $TOKEN"`);
  console.log(`  curl ${base}/api/stock/KB-101       curl ${base}/metrics`);
  console.log(`  WebSocket ws://127.0.0.1:${gatewayPort}/ws?token=$TOKEN, then send {"event":"subscribe","data":{"topic":"notifications"}}`);
  console.log(`Backdoors (loopback only; this run's token is in ${tokenFile}):`);
  for (const service of services) console.log(`  ${service.name.padEnd(14)} BACKDOOR_TOKEN=$(cat ${tokenFile}) npm run backdoor -- 127.0.0.1:${service.backdoorPort}    (health: http://127.0.0.1:${service.port}/health)`);
  console.log(`Debug logs: ${debugDir}/${sessionId}_<category>.jsonl, all five services in one session:`);
  console.log(`  npm run logs -- --dir ${debugDir} --correlation demo-order-1      npm run logs -- --dir ${debugDir} --summary`);
  console.log('Press Ctrl-C to stop.');
} catch (error) {
  console.error(error);
  await stop(1);
}
