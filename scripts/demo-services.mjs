// The sample shop's five services as processes of the demo: started with their environment,
// waited for on /health, stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** Every service of the shop, the gateway last (it is the door the walk-through uses). */
export const SERVICES = ['inventory', 'payments', 'orders', 'notifications', 'gateway'];

/**
 * Starts every service on `natsUrl` under `prefix`, each on its own HTTP port and backdoor
 * port, with an in-memory database and debug logs in `debugDir` (one session for all).
 */
export async function startServices({ root, natsUrl, prefix, debugDir, sessionId, freePort, gatewayPort }) {
  const secrets = { jwt: randomBytes(32).toString('hex'), backdoor: randomBytes(18).toString('base64url') };
  const running = [];
  for (const name of SERVICES) {
    const port = name === 'gateway' ? gatewayPort : await freePort();
    const backdoorPort = await freePort();
    const env = {
      ...process.env,
      NATS_URL: natsUrl,
      NATS_SUBJECT_PREFIX: prefix,
      DATA_DIR: 'memory',
      JWT_SECRET: secrets.jwt,
      BACKDOOR_TOKEN: secrets.backdoor,
      BACKDOOR_PORT: String(backdoorPort),
      PORT: String(port),
      DEBUG_MODE: 'true',
      DEBUG_LOG_DIR: debugDir,
      DEBUG_SESSION_ID: sessionId,
      // The demo sweeps unpaid orders quickly, so an expiry can be watched.
      ORDERS_PAYMENT_WINDOW_MS: process.env.ORDERS_PAYMENT_WINDOW_MS ?? '120000',
      ORDERS_EXPIRY_SWEEP_MS: process.env.ORDERS_EXPIRY_SWEEP_MS ?? '5000',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [join(root, `dist/apps/${name}/src/main.js`)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    running.push({ name, port, backdoorPort, child });
  }
  return { services: running, secrets };
}

/** Waits until every service answers /health, or throws naming the ones that do not. */
export async function waitForHealth(services, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(services);
  while (pending.size > 0 && Date.now() < deadline) {
    for (const service of [...pending]) {
      if (exited(service.child)) throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode})`);
      const healthy = await fetch(`http://127.0.0.1:${service.port}/health`).then((r) => r.ok, () => false);
      if (healthy) pending.delete(service);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (pending.size > 0) throw new Error(`no answer on /health within ${timeoutMs}ms from: ${[...pending].map((s) => s.name).join(', ')}`);
}

/** Sends SIGTERM to every service and waits until each has exited. */
export function stopServices(services) {
  return Promise.all(
    services.map(({ child }) => {
      if (exited(child)) return undefined;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      return gone;
    }),
  );
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}
