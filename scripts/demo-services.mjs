// The sample shop's five services as processes of the demo: started with their environment,
// waited for until each is ready (/health/ready) however long that takes, stopped with
// SIGTERM (SIGKILL after a grace). Their output goes to the demo's, and the last lines of each
// are kept to show when one dies.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Every service of the shop, the gateway last (it is the door the walk-through uses). */
export const SERVICES = ['inventory', 'payments', 'orders', 'notifications', 'gateway'];
/** Lines of a service's output kept to show when it dies. */
const KEPT_LINES = 25;

/** A service stopped before it was asked to; its message has the service's last log lines. */
export class ServiceExitedError extends Error {
  name = 'ServiceExitedError';

  constructor(service) {
    const how = service.child.signalCode ?? `exit code ${service.child.exitCode}`;
    super(`${service.name} stopped (${how}); its last log lines:\n${service.lastLines.map((line) => `  | ${line}`).join('\n')}`);
    this.service = service.name;
  }
}

/**
 * Starts every service on `natsUrl` under `prefix`, each on its own HTTP port and backdoor
 * port, with its tables in a schema of its own on `databaseUrl` (the demo's one embedded
 * Postgres), and debug logs in `debugDir` (one session for all). `env` is laid over the
 * demo's environment. Each service is added to `running` as soon as it is spawned (so a stop
 * meanwhile finds it) and resolves `exited` when its process is gone.
 */
export async function startServices({ root, natsUrl, databaseUrl, prefix, debugDir, sessionId, freePort, gatewayPort, env: extra = {}, running = [] }) {
  const secrets = { jwt: randomBytes(32).toString('hex'), backdoor: randomBytes(18).toString('base64url') };
  for (const name of SERVICES) {
    const port = name === 'gateway' ? gatewayPort : await freePort();
    const backdoorPort = await freePort();
    const env = {
      ...process.env,
      NATS_URL: natsUrl,
      NATS_SUBJECT_PREFIX: prefix,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: name,
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
      ...extra,
    };
    const child = spawn(process.execPath, [join(root, `dist/apps/${name}/src/main.js`)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const service = { name, port, backdoorPort, child, lastLines: [], stopping: false };
    service.exited = new Promise((resolve) => child.once('exit', () => resolve(service)));
    relay(service, child.stdout, process.stdout);
    relay(service, child.stderr, process.stderr);
    running.push(service);
  }
  return { services: running, secrets };
}

// Passes a service's output through line by line, keeping its last lines.
function relay(service, from, to) {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
    service.lastLines.push(line);
    if (service.lastLines.length > KEPT_LINES) service.lastLines.shift();
    to.write(`${line}\n`);
  });
}

/**
 * Resolves once every service answers 200 on /health/ready, with no time limit: a slow
 * machine only makes it slower, and every `progressMs` it says which are still starting and
 * what they answer. Rejects with `ServiceExitedError` as soon as one process exits.
 */
export async function waitUntilReady(root, services, { intervalMs = 250, progressMs = 10_000, say = (line) => console.log(line) } = {}) {
  const { checkHealth, describeHealth } = await import(join(root, 'dist/deployment/manager/health.js'));
  const waiting = new Map(services.map((service) => [service.name, 'not checked yet']));
  const started = Date.now();
  const progress = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    say(`… ${seconds}s, still starting: ${[...waiting].map(([name, last]) => `${name} (${last})`).join(', ')}`);
  }, progressMs);
  let gone = false;
  const readiness = services.map(async (service) => {
    for (;;) {
      const answer = await checkHealth(`http://127.0.0.1:${service.port}/health/ready`);
      if (answer.ok) return waiting.delete(service.name);
      waiting.set(service.name, describeHealth(answer));
      if (gone) return undefined;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  });
  const firstExit = Promise.race(services.map((service) => service.exited)).then((service) => {
    throw new ServiceExitedError(service);
  });
  try {
    await Promise.race([Promise.all(readiness), firstExit]);
  } finally {
    gone = true;
    clearInterval(progress);
    firstExit.catch(() => undefined);
  }
}

/** Rejects with `ServiceExitedError` when a service exits that was not asked to stop. */
export function watchExits(services) {
  return Promise.race(
    services.map((service) =>
      service.exited.then(() => {
        if (!service.stopping) throw new ServiceExitedError(service);
        return new Promise(() => undefined);
      }),
    ),
  );
}

/** Sends SIGTERM to every service and waits until each has exited; SIGKILL after `graceMs`. */
export function stopServices(services, graceMs = 15_000) {
  return Promise.all(
    services.map(async (service) => {
      service.stopping = true;
      const { child } = service;
      if (exited(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await service.exited;
      clearTimeout(timer);
    }),
  );
}

/** Kills every service at once (the demo is going away and cannot wait). */
export function killServices(services) {
  for (const { child } of services) if (!exited(child)) child.kill('SIGKILL');
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null;
}
