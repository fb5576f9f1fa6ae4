// `npm run demo`: starts the sample inventory service as its own process on NATS
// (the one at NATS_URL, or a nats-server started here), walks through its RPCs and events,
// then keeps it running until Ctrl-C. `--once` stops after the walk-through.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { ensureNats, callRpc, EventRecorder } = await import(join(root, 'dist/libs/testing/src/index.js'));
const { CorrelationContext } = await import(join(root, 'dist/libs/correlation/src/index.js'));
const once = process.argv.includes('--once');
const prefix = process.env.NATS_SUBJECT_PREFIX ?? 'demo';

const nats = await ensureNats();
const service = spawn(process.execPath, [join(root, 'dist/apps/inventory/src/main.js')], {
  env: { INVENTORY_DATA_DIR: 'memory', ...process.env, NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const target = { servers: nats.url, subjectPrefix: prefix };

async function stop(code = 0) {
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  await nats.release();
  process.exit(code);
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
  if (once) await stop(0);
  console.log(`\nThe inventory service keeps running on ${nats.url} under the subject prefix "${prefix}".`);
  console.log(`Try it with the NATS CLI, if installed:  nats req ${prefix}.inventory.get_stock '{"sku":"KB-101"}'`);
  console.log('Press Ctrl-C to stop.');
} catch (error) {
  console.error(error);
  await stop(1);
}
