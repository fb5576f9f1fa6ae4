// The sample shop's five services as processes of the demo: started with their environment,
// waited for until ready (/health/ready), stopped with SIGTERM.
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

/**
 * Waits until every service is ready on /health/ready (the deployment manager's check, 120 tries 250 ms
 * apart), or throws naming the one that died or does not answer.
 */
export async function waitForHealth(root, services) {
  const { waitForHealth: untilHealthy } = await import(join(root, 'dist/deployment/manager/health.js'));
  await Promise.all(
    services.map(async (service) => {
      const answer = await untilHealthy(`http://127.0.0.1:${service.port}/health/ready`, 120, 250, () => exited(service.child));
      if (exited(service.child)) throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode})`);
      if (!answer.ok) throw new Error(`${service.name} is not ready on /health/ready: ${answer.error ?? answer.status}`);
    }),
  );
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
