import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { removeDurableStream, ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { isAlive } from '../../deployment/manager/pid-files.js';
import { isPortFree } from '../../deployment/manager/ports.js';
import { httpClient } from '../apps/http-client.js';
import { POSTGRES_URL } from '../apps/shop-fixture.js';
import { WsClient } from '../apps/ws-client.js';
import { buildOnce, deploy, freePortRange, ROOT, writeConfig } from './deploy-fixture.js';

const SERVICES = ['gateway', 'orders', 'payments', 'inventory', 'notifications'] as const;

/** The PIDs the state folder's PID files name, by process name. */
async function pidFiles(stateDir: string): Promise<Record<string, number>> {
  const dir = join(stateDir, 'pids');
  const names = await readdir(dir).catch(() => [] as string[]);
  const entries = await Promise.all(names.map(async (name) => [name.replace(/\.pid$/, ''), Number((await readFile(join(dir, name), 'utf8')).trim())] as const));
  return Object.fromEntries(entries);
}

describe('deployment manager: the sample shop behind nginx', () => {
  let nats: NatsEndpoint;
  let file: string;
  let dir: string;
  let nginxPort: number;
  let ports: Record<(typeof SERVICES)[number], number>;
  const prefix = uniquePrefix();
  const schemaBase = `deploy_${randomBytes(4).toString('hex')}`;
  const { http, login } = httpClient(() => `http://127.0.0.1:${nginxPort}`);
  const stateDir = () => join(dir, 'state');

  beforeAll(async () => {
    await buildOnce();
    nats = await ensureNats();
    nginxPort = await freePortRange(1, isPortFree);
    ports = {} as typeof ports;
    for (const service of SERVICES) ports[service] = await freePortRange(2, isPortFree);
    const app = (service: (typeof SERVICES)[number], instances: number) => ({ port: ports[service], instances, env: { DATABASE_SCHEMA: `${schemaBase}_${service}` } });
    ({ file, dir } = await writeConfig({
      env: { NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix, DATABASE_URL: POSTGRES_URL, DEBUG_MODE: 'false' },
      nginx: { port: nginxPort },
      health: { attempts: 120, interval_ms: 250 },
      apps: {
        gateway: { ...app('gateway', 2), public: true, websocket: '/ws' },
        orders: app('orders', 2),
        payments: app('payments', 1),
        inventory: app('inventory', 1),
        notifications: app('notifications', 1),
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await deploy('stop', file);
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    for (const service of SERVICES) await client.query(`DROP SCHEMA IF EXISTS "${schemaBase}_${service}" CASCADE`);
    await client.end();
    await removeDurableStream(nats.url, prefix);
    await nats.release();
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('starts every instance detached, checks each one healthy, then puts nginx in front', async () => {
    const started = await deploy('start', file);
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(`ready: http://127.0.0.1:${nginxPort} (nginx → gateway-0, gateway-1)`);
    const status = await deploy('status', file);
    expect(status.code).toBe(0);
    for (const name of ['gateway-0', 'gateway-1', 'orders-0', 'orders-1', 'payments-0', 'inventory-0', 'notifications-0', 'nginx']) {
      expect(status.stdout).toMatch(new RegExp(`^${name}\\s+\\d+\\s+\\d+\\s+running\\s+ok`, 'm'));
    }
    expect(Object.keys(await pidFiles(stateDir())).sort()).toEqual(['gateway-0', 'gateway-1', 'inventory-0', 'nginx', 'notifications-0', 'orders-0', 'orders-1', 'payments-0']);
  }, 120_000);

  it('spreads requests through nginx over every gateway instance', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i += 1) seen.add((await http('GET', '/health')).body.instance as string);
    expect([...seen].sort()).toEqual(['gateway-0', 'gateway-1']);
  });

  it('serves an order over HTTP and its notifications over WebSocket, both through nginx', async () => {
    const token = await login('ann', 'ann-password');
    const live = await WsClient.open(`ws://127.0.0.1:${nginxPort}/ws`, token);
    try {
      await live.subscribe('notifications');
      const placed = await http('POST', '/api/orders', { token, body: { sku: 'KB-101', quantity: 1, paymentToken: 'tok_visa' }, headers: { 'x-correlation-id': 'deploy-flow-001' } });
      expect(placed).toMatchObject({ status: 201, body: { status: 'paid' } });
      const frame = await live.frame((f) => (f.data as { kind?: string; orderId?: string }).kind === 'order_paid' && (f.data as { orderId?: string }).orderId === placed.body.id, 10_000);
      expect(frame.correlationId).toBe('deploy-flow-001');
    } finally {
      live.socket.terminate();
    }
  }, 30_000);

  it('writes one log per process and a unified log with aligned name prefixes', async () => {
    const logs = join(stateDir(), 'logs');
    expect((await readdir(logs)).sort()).toEqual(
      ['backend-unified.log', 'gateway-0.log', 'gateway-1.log', 'inventory-0.log', 'nginx-access.log', 'nginx-error.log', 'notifications-0.log', 'orders-0.log', 'orders-1.log', 'payments-0.log'].sort(),
    );
    const unified = await readFile(join(logs, 'backend-unified.log'), 'utf8');
    expect(unified).toMatch(/^gateway-0 {9}>> .*\[Shop\] gateway-0 ready: HTTP /m);
    expect(unified).toMatch(/^orders-\d {10}>> .*\[OrderBook\] \[cid=deploy-flow-001\] order .* paid/m);
    expect(await readFile(join(logs, 'orders-0.log'), 'utf8')).toMatch(/^\[Nest\] \d+ .*\[Shop\] orders-0 ready: HTTP /m);
    const tail = await deploy('logs', file, '--lines', '3', '--process', 'gateway-1');
    expect(tail.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('keeps a token in the query string (the WebSocket\'s ?token=) out of the nginx access log', async () => {
    const secret = `tok${randomBytes(12).toString('hex')}`;
    await fetch(`http://127.0.0.1:${nginxPort}/ws?token=${secret}`);
    await fetch(`http://127.0.0.1:${nginxPort}/health/ready?access_token=${secret}&x=1`);
    const access = await readFile(join(stateDir(), 'logs/nginx-access.log'), 'utf8');
    expect(access).toMatch(/"GET \/ws HTTP\/1\.1" \d{3} /);
    expect(access).toContain('"GET /health/ready HTTP/1.1" 200 ');
    expect(access).not.toContain(secret);
  });

  it('says there is no such process when logs names one the deployment does not have', async () => {
    const unknown = await deploy('logs', file, '--process', 'orders-2');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('no process orders-2 in this deployment; its logs: gateway-0, gateway-1, orders-0, orders-1, payments-0, inventory-0, notifications-0, nginx, nginx-access');
  });

  it('empties every log with logs-clean while the processes run and write on', async () => {
    const logs = join(stateDir(), 'logs');
    const cleaned = await deploy('logs-clean', file);
    expect(cleaned.code).toBe(0);
    expect(cleaned.stdout).toContain('emptied 10 log file(s)');
    expect((await readFile(join(logs, 'nginx-access.log'), 'utf8'))).toBe('');
    expect((await http('GET', '/health')).status).toBe(200);
    expect(await readFile(join(logs, 'nginx-access.log'), 'utf8')).toMatch(/^\S+ - - \[[^\]]+\] "GET \/health HTTP\/1\.1" 200 /);
  });

  it('refuses to start what already runs', async () => {
    const again = await deploy('start', file);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^already running: .*gateway-0.*; stop or restart it/);
  });

  it('restarts every process with new ones, healthy again', async () => {
    const before = await pidFiles(stateDir());
    const restarted = await deploy('restart', file);
    expect(restarted.code).toBe(0);
    const after = await pidFiles(stateDir());
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [name, pid] of Object.entries(before)) {
      expect({ name, replaced: after[name] !== pid, oldGone: !isAlive(pid) }).toEqual({ name, replaced: true, oldGone: true });
    }
    expect((await deploy('status', file)).code).toBe(0);
    expect((await http('GET', '/health')).status).toBe(200);
  }, 120_000);

  it('stops every process, frees every port and leaves no PID file', async () => {
    const running = await pidFiles(stateDir());
    const stopped = await deploy('stop', file);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('stopped 8 process(es)');
    expect(Object.values(running).filter(isAlive)).toEqual([]);
    expect(await readdir(join(stateDir(), 'pids'))).toEqual([]);
    const portsInUse = [nginxPort, ...SERVICES.flatMap((s) => [ports[s], ports[s] + 1])];
    expect((await Promise.all(portsInUse.map((p) => isPortFree(p)))).every(Boolean)).toBe(true);
    const status = await deploy('status', file);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^gateway-0\s+-\s+\d+\s+stopped/m);
  }, 60_000);
});

describe('deployment manager: failures', () => {
  const fixture = (name: string) => join(ROOT, 'test/deployment/fixtures', name);
  const dirs: string[] = [];
  const configFor = async (entry: string, nginxPort: number, extra: Record<string, unknown> = {}) => {
    const { file, dir } = await writeConfig({ nginx: { port: nginxPort }, health: { attempts: 20, interval_ms: 100 }, apps: { app: { entry, port: await freePortRange(1, isPortFree), public: true } }, ...extra });
    dirs.push(dir);
    return { file, state: join(dir, 'state') };
  };

  beforeAll(async () => {
    await buildOnce();
  }, 120_000);

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('reports a port already in use and starts nothing', async () => {
    const nginxPort = await freePortRange(1, isPortFree);
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(nginxPort, '127.0.0.1', resolve));
    try {
      const { file, state } = await configFor(fixture('stubborn-app.mjs'), nginxPort);
      const started = await deploy('start', file);
      expect(started.code).toBe(1);
      expect(started.stderr.trim()).toBe(`ports in use: ${nginxPort} (nginx)`);
      expect(await pidFiles(state)).toEqual({});
    } finally {
      squatter.close();
    }
  });

  it('reports an app that dies at startup with the end of its log, and leaves nothing running', async () => {
    const { file, state } = await configFor(fixture('crashing-app.mjs'), await freePortRange(1, isPortFree));
    const started = await deploy('start', file);
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(/^app-0 \(http:\/\/127\.0\.0\.1:\d+\/health\/ready\) is not healthy \(unreachable\); last log lines:/);
    expect(started.stderr).toContain('| cannot connect to the payment provider: refused');
    expect(started.stderr).toContain('| [manager] app-0 exited (code 3)');
    expect(await pidFiles(state)).toEqual({});
  });

  it('keeps nginx out of the way of an instance that is alive but not ready, naming the checks down', async () => {
    const { file, state } = await configFor(fixture('unready-app.mjs'), await freePortRange(1, isPortFree));
    const started = await deploy('start', file);
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(/^app-0 \(http:\/\/127\.0\.0\.1:\d+\/health\/ready\) is not healthy \(HTTP 503: nats\); last log lines:/);
    expect(started.stderr).toContain('| unready app on ');
    expect(await pidFiles(state)).toEqual({});
  });

  it('kills an instance that ignores SIGTERM once the stop timeout has passed', async () => {
    const { file, state } = await configFor(fixture('stubborn-app.mjs'), await freePortRange(1, isPortFree));
    expect((await deploy('start', file)).code).toBe(0);
    const { 'app-0': pid } = await pidFiles(state);
    const stopped = await deploy('stop', file, '--timeout', '1');
    expect(stopped.stdout).toContain(`app-0 (pid ${pid}) did not stop within 1000ms: killing it`);
    expect(stopped.code).toBe(0);
    expect(isAlive(pid!)).toBe(false);
    expect(await readFile(join(state, 'logs', 'app-0.log'), 'utf8')).toContain('SIGTERM received, ignored');
  }, 30_000);
});
