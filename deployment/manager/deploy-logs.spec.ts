import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDeployConfig } from './deploy-config.js';
import { cleanLogs, logFileOf, UnknownProcessError } from './deploy-logs.js';
import { planInstances, statePaths } from './deploy-plan.js';

const config = checkDeployConfig('/srv/shop/deployment/dev.yaml', {
  root: '..',
  apps: { gateway: { port: 8101, instances: 2, public: true }, orders: { port: 8201 } },
});
const paths = statePaths(config);
const instances = planInstances(config);

describe('logFileOf', () => {
  it('finds the log of an instance, counted from 0, of nginx, and the unified log', () => {
    expect(logFileOf(paths, instances, 'orders-0')).toBe('/srv/shop/.local/logs/orders-0.log');
    expect(logFileOf(paths, instances, 'gateway-1')).toBe('/srv/shop/.local/logs/gateway-1.log');
    expect(logFileOf(paths, instances, 'nginx')).toBe(paths.nginxErrorLog);
    expect(logFileOf(paths, instances, 'nginx-access')).toBe(paths.nginxAccessLog);
    expect(logFileOf(paths, instances)).toBe(paths.unifiedLog);
  });

  it('refuses a process the deployment does not have, naming those it has', () => {
    expect(() => logFileOf(paths, instances, 'orders-1')).toThrow(UnknownProcessError);
    expect(() => logFileOf(paths, instances, 'orders-1')).toThrow('no process orders-1 in this deployment; its logs: gateway-0, gateway-1, orders-0, nginx, nginx-access');
    expect(() => logFileOf(paths, instances, '../secrets/jwt-secret')).toThrow(UnknownProcessError);
  });
});

describe('cleanLogs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'deploy-logs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('empties every log file and keeps the files, leaving anything else alone', async () => {
    const local = statePaths(checkDeployConfig(join(dir, 'dev.yaml'), { root: '.', state_dir: 'state', apps: { app: { port: 1, public: true } } }));
    await mkdir(local.logs, { recursive: true });
    await writeFile(local.unifiedLog, 'app-0 >> started\n');
    await writeFile(join(local.logs, 'app-0.log'), 'started\n');
    await writeFile(local.nginxAccessLog, '127.0.0.1 GET /\n');
    await writeFile(join(local.logs, 'notes.txt'), 'mine\n');
    expect(await cleanLogs(local)).toEqual(['app-0.log', 'backend-unified.log', 'nginx-access.log']);
    expect((await readdir(local.logs)).sort()).toEqual(['app-0.log', 'backend-unified.log', 'nginx-access.log', 'notes.txt']);
    for (const name of ['app-0.log', 'backend-unified.log', 'nginx-access.log']) expect((await stat(join(local.logs, name))).size).toBe(0);
    expect(await readFile(join(local.logs, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('has nothing to empty before the first start', async () => {
    const local = statePaths(checkDeployConfig(join(dir, 'dev.yaml'), { root: '.', state_dir: 'state', apps: { app: { port: 1, public: true } } }));
    expect(await cleanLogs(local)).toEqual([]);
  });
});
