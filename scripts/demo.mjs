// `npm run demo`: starts the sample shop (inventory, payments, orders, notifications and the
// HTTP/WebSocket gateway, each its own process) on NATS (the server at NATS_URL, or a
// nats-server started here) and one embedded Postgres shared by the services (each in its own
// schema), walks through an order over HTTP with its live notifications, then keeps it all
// running until stopped and prints how to try it. `--once` stops after the walk-through.
// SIGINT, SIGTERM or SIGHUP (or the demo's launcher going away: `npm run` does not pass a
// SIGTERM on through its shell) stop every service and what the demo started, then exit.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import { killServices, ServiceExitedError, startServices, stopServices, waitUntilReady, watchExits } from './demo-services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// One built file of a workspace package: importing the file, not the package, keeps Nest out of the demo.
const built = (pkg, file) => join(root, 'libs', pkg, 'dist', file);
const startedAt = performance.now();
const once = process.argv.includes('--once');
const prefix = process.env.NATS_SUBJECT_PREFIX ?? 'demo';
const debugDir = resolve(process.env.DEBUG_LOG_DIR ?? join(root, 'debug_logs'));
const tokenFile = join(root, '.local/demo/backdoor-token');

// Everything started so far: whatever ends the demo stops all of it, in reverse order.
const started = { services: [], postgres: undefined, nats: undefined };
let stopping;
function stop(code = 0) {
  stopping ??= (async () => {
    await stopServices(started.services);
    await started.postgres?.stop().catch(() => undefined);
    await rm(tokenFile, { force: true });
    if (started.nats !== undefined) {
      // The services kept their data in memory: their stored events go with it.
      const { removeDurableStream } = await import(built('testing', 'durable-stream.js'));
      await removeDurableStream(started.nats.url, prefix).catch(() => undefined);
      await started.nats.release();
    }
    process.exit(code);
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping === undefined) {
      console.log(`\n${signal}: stopping the shop...`);
      void stop(0);
    } else {
      // Asked again while stopping: no more waiting.
      killServices(started.services);
      process.exit(1);
    }
  });
}
const launcher = process.ppid;
setInterval(() => {
  if (process.ppid === launcher || stopping !== undefined) return;
  console.log('\nthe demo\'s launcher is gone: stopping the shop...');
  void stop(0);
}, 500).unref();
// Exiting any other way (a second signal, a crash): no waiting, but nothing left behind. A
// nats-server the demo started is sent SIGTERM at once by release().
process.on('exit', () => {
  killServices(started.services);
  void started.nats?.release();
});

// Only what starting needs is imported here: the libraries' barrels would load Nest into the demo.
const { ensureNats } = await import(built('testing', 'ensure-nats.js'));
const { freePort } = await import(built('testing', 'free-port.js'));
const { formatSessionId } = await import(built('debug-logger', 'session-id.js'));
const { EmbeddedPostgres } = await import(built('secure-repository', 'embedded-postgres.js'));
const sessionId = formatSessionId();
const gatewayPort = Number(process.env.GATEWAY_PORT ?? 3000);
const base = `http://127.0.0.1:${gatewayPort}`;

let services;
let secrets;
try {
  const [nats, postgres] = await Promise.all([
    ensureNats().then((endpoint) => (started.nats = endpoint)),
    EmbeddedPostgres.serve('memory').then((database) => (started.postgres = database)),
  ]);
  if (stopping !== undefined) await stopping;
  // Creating the database leaves ~300 MB of initdb's WebAssembly memory as garbage; collected
  // now, before the services start, it does not add to the demo's peak (node has no other way
  // to ask for a collection than exposing gc). It is unreachable only after this turn.
  await new Promise((resolve) => setImmediate(resolve));
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
  console.log(`NATS ${nats.url}; one embedded Postgres for the services at ${postgres.url}`);
  ({ services, secrets } = await startServices({ root, natsUrl: nats.url, databaseUrl: postgres.url, prefix, debugDir, sessionId, freePort, gatewayPort, running: started.services }));
  await waitUntilReady(root, services);
  console.log(`\nall five services ready in ${((performance.now() - startedAt) / 1000).toFixed(1)}s`);
} catch (error) {
  console.error(`\ndemo stopped: ${error instanceof ServiceExitedError ? error.message : error.stack ?? error}`);
  await stop(1);
}
watchExits(services).catch((error) => {
  console.error(`\ndemo stopped: ${error.message}`);
  void stop(1);
});
// The backdoor token is this run's secret: kept in an owner-only file, never printed.
await mkdir(dirname(tokenFile), { recursive: true, mode: 0o700 });
await writeFile(tokenFile, `${secrets.backdoor}\n`, { mode: 0o600 });

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
  console.log(`\nThe shop keeps running on ${started.nats.url} under the subject prefix "${prefix}". Try:`);
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
