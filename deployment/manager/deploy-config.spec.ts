import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDeployConfig, DeployConfigError, loadDeployConfig } from './deploy-config.js';

const minimal = { apps: { gateway: { port: 9100, public: true } } };

describe('checkDeployConfig', () => {
  it('fills the defaults and resolves paths against the config folder', () => {
    const config = checkDeployConfig('/srv/shop/deploy/dev.yaml', { ...minimal, root: '..' });
    expect(config).toMatchObject({
      root: '/srv/shop',
      stateDir: '/srv/shop/.local',
      env: {},
      nginx: { port: 8000, host: '127.0.0.1', workerProcesses: 1, workerConnections: 1024, binary: 'nginx' },
      stopTimeoutMs: 10_000,
      health: { attempts: 60, intervalMs: 500 },
    });
    expect(config.apps).toEqual([
      { name: 'gateway', entry: '/srv/shop/dist/apps/gateway/src/main.js', port: 9100, instances: 1, public: true, healthPath: '/health/ready', env: {} },
    ]);
  });

  it.each([
    [{ apps: {} }, 'apps must name at least one app'],
    [{ apps: { gateway: { port: 9100 } } }, 'one app must be public'],
    [{ apps: { Gateway: { port: 9100, public: true } } }, 'app name "Gateway" must be lowercase'],
    [{ apps: { gateway: { port: 70000, public: true } } }, 'apps.gateway.port must be a whole number from 1 to 65535'],
    [{ apps: { gateway: { port: 9100, instances: 0, public: true } } }, 'apps.gateway.instances must be a whole number from 1 to 32'],
    [{ apps: { gateway: { port: 9100, instances: 2, public: true }, orders: { port: 9101 } } }, 'port 9101 is given to both gateway-1 and orders'],
    [{ nginx: { port: 9100 }, ...minimal }, 'port 9100 is given to both nginx and gateway'],
    [{ env: { 'bad-name': 'x' }, ...minimal }, 'env.bad-name is not a valid environment variable name'],
    [{ apps: { gateway: { port: 9100, public: true, websocket: 'ws' } } }, 'apps.gateway.websocket must be a path like /ws'],
    [{ apps: { gateway: { port: 9100, public: true, health_path: 'health' } } }, 'apps.gateway.health_path must be a path like /health/ready'],
    [{ stop_timeout_seconds: 0, ...minimal }, 'stop_timeout_seconds must be a positive number'],
  ])('refuses %j', (raw, problem) => {
    expect(() => checkDeployConfig('/x/c.yaml', raw)).toThrow(DeployConfigError);
    expect(() => checkDeployConfig('/x/c.yaml', raw)).toThrow(problem);
  });
});

describe('loadDeployConfig', () => {
  it('reads YAML and takes ${NAME:-default} values from the environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deploy-config-'));
    try {
      const file = join(dir, 'c.yaml');
      await writeFile(file, 'env:\n  NATS_URL: ${NATS_URL:-nats://local:4222}\n  PREFIX: ${PREFIX:-dev}\napps:\n  gateway:\n    port: ${PORT:-9100}\n    public: true\n');
      const config = await loadDeployConfig(file, { NATS_URL: 'nats://cluster:4222', PORT: '9200' });
      expect(config.env).toEqual({ NATS_URL: 'nats://cluster:4222', PREFIX: 'dev' });
      expect(config.apps[0]!.port).toBe(9200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the file when it is not YAML', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deploy-config-'));
    try {
      await writeFile(join(dir, 'bad.yaml'), 'apps: [unclosed');
      await expect(loadDeployConfig(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml: cannot be read as YAML/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
