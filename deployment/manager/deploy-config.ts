import { CliffracerError } from '@cliffracer/common';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

/** One app of a deployment: its entry script, how many instances, on which ports. */
export interface AppSpec {
  name: string;
  /** Absolute path of the script every instance runs. */
  entry: string;
  /** Port of the first instance; instance `i` listens on `port + i`. */
  port: number;
  instances: number;
  /** Behind the nginx gateway: every path but `websocket` is proxied to it. */
  public: boolean;
  /** Path proxied as WebSocket upgrades (public apps). */
  websocket?: string;
  /** Path of the instances' readiness check: 2xx when an instance can take traffic. */
  healthPath: string;
  env: Record<string, string>;
}

/** A deployment as `dev-config.yaml` describes it, paths resolved and values checked. */
export interface DeployConfig {
  file: string;
  root: string;
  stateDir: string;
  env: Record<string, string>;
  nginx: { port: number; host: string; workerProcesses: number | 'auto'; workerConnections: number; binary: string };
  stopTimeoutMs: number;
  health: { attempts: number; intervalMs: number };
  apps: AppSpec[];
}

/** The configuration is unusable; the message says which field and why. */
export class DeployConfigError extends CliffracerError {
  override readonly name = 'DeployConfigError';

  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`, { code: 'DEPLOY_CONFIG' });
  }
}

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
/** Readiness of a Cliffracer service: 503 while NATS or the database is down, or while it shuts down. */
export const DEFAULT_HEALTH_PATH = '/health/ready';
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** Reads and checks a deployment config; `${NAME}` and `${NAME:-default}` in values take `env`. */
export async function loadDeployConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<DeployConfig> {
  const path = resolve(file);
  let raw: unknown;
  try {
    raw = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DeployConfigError(path, `cannot be read as YAML (${(error as Error).message})`);
  }
  return checkDeployConfig(path, interpolate(raw, env));
}

/** Checks a parsed config (already interpolated) and resolves its paths against its folder. */
export function checkDeployConfig(path: string, raw: unknown): DeployConfig {
  const fail = (problem: string): never => {
    throw new DeployConfigError(path, problem);
  };
  const doc = record(raw, 'the document', fail);
  const root = resolve(dirname(path), text(doc.root ?? '.', 'root', fail));
  const nginx = record(doc.nginx ?? {}, 'nginx', fail);
  const health = record(doc.health ?? {}, 'health', fail);
  const apps = record(doc.apps, 'apps', fail);
  if (Object.keys(apps).length === 0) fail('apps must name at least one app');
  const config: DeployConfig = {
    file: path,
    root,
    stateDir: resolve(root, text(doc.state_dir ?? '.local', 'state_dir', fail)),
    env: envMap(doc.env ?? {}, 'env', fail),
    nginx: {
      port: port(nginx.port ?? 8000, 'nginx.port', fail),
      host: text(nginx.host ?? '127.0.0.1', 'nginx.host', fail),
      workerProcesses: nginx.worker_processes === 'auto' ? 'auto' : whole(nginx.worker_processes ?? 1, 'nginx.worker_processes', fail, 1, 64),
      workerConnections: whole(nginx.worker_connections ?? 1024, 'nginx.worker_connections', fail, 16, 65535),
      binary: text(nginx.binary ?? 'nginx', 'nginx.binary', fail),
    },
    stopTimeoutMs: Math.round(positive(doc.stop_timeout_seconds ?? 10, 'stop_timeout_seconds', fail) * 1000),
    health: {
      attempts: whole(health.attempts ?? 60, 'health.attempts', fail, 1, 10_000),
      intervalMs: whole(health.interval_ms ?? 500, 'health.interval_ms', fail, 10, 60_000),
    },
    apps: Object.entries(apps).map(([name, spec]) => appSpec(name, spec, root, fail)),
  };
  checkPorts(config, fail);
  if (!config.apps.some((app) => app.public)) fail('one app must be public (behind nginx)');
  return config;
}

function appSpec(name: string, raw: unknown, root: string, fail: (problem: string) => never): AppSpec {
  if (!NAME.test(name)) fail(`app name ${JSON.stringify(name)} must be lowercase letters, digits and dashes`);
  const spec = record(raw, `apps.${name}`, fail);
  const websocket = spec.websocket === undefined ? undefined : text(spec.websocket, `apps.${name}.websocket`, fail);
  if (websocket !== undefined && !/^\/[\w/-]*$/.test(websocket)) fail(`apps.${name}.websocket must be a path like /ws`);
  const healthPath = text(spec.health_path ?? DEFAULT_HEALTH_PATH, `apps.${name}.health_path`, fail);
  if (!/^\/[\w/.-]*$/.test(healthPath)) fail(`apps.${name}.health_path must be a path like ${DEFAULT_HEALTH_PATH}`);
  return {
    name,
    entry: resolve(root, text(spec.entry ?? `dist/apps/${name}/src/main.js`, `apps.${name}.entry`, fail)),
    port: port(spec.port, `apps.${name}.port`, fail),
    instances: whole(spec.instances ?? 1, `apps.${name}.instances`, fail, 1, 32),
    public: spec.public === true,
    ...(websocket !== undefined && { websocket }),
    healthPath,
    env: envMap(spec.env ?? {}, `apps.${name}.env`, fail),
  };
}

/** Every instance and nginx need a port of their own. */
function checkPorts(config: DeployConfig, fail: (problem: string) => never): void {
  const owners = new Map<number, string>([[config.nginx.port, 'nginx']]);
  for (const app of config.apps) {
    for (let i = 0; i < app.instances; i += 1) {
      const owner = owners.get(app.port + i);
      if (owner !== undefined) fail(`port ${app.port + i} is given to both ${owner} and ${app.name}-${i}`);
      if (app.port + i > 65535) fail(`apps.${app.name} runs out of ports above 65535`);
      owners.set(app.port + i, `${app.name}-${i}`);
    }
  }
}

/** Replaces `${NAME}` and `${NAME:-default}` in every string of the document. */
function interpolate(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return value.replace(/\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => env[name] || fallback || '');
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
}

function record(value: unknown, what: string, fail: (problem: string) => never): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`${what} must be a mapping`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string, fail: (problem: string) => never): string {
  if (typeof value !== 'string' || value === '') fail(`${what} must be a non-empty string`);
  return value as string;
}

function whole(value: unknown, what: string, fail: (problem: string) => never, min: number, max: number): number {
  const n = typeof value === 'string' && value !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) fail(`${what} must be a whole number from ${min} to ${max}`);
  return n as number;
}

function port(value: unknown, what: string, fail: (problem: string) => never): number {
  return whole(value, what, fail, 1, 65535);
}

function positive(value: unknown, what: string, fail: (problem: string) => never): number {
  const n = typeof value === 'string' && value !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !(n > 0)) fail(`${what} must be a positive number`);
  return n as number;
}

function envMap(value: unknown, what: string, fail: (problem: string) => never): Record<string, string> {
  const map = record(value, what, fail);
  for (const [name, v] of Object.entries(map)) {
    if (!ENV_NAME.test(name)) fail(`${what}.${name} is not a valid environment variable name`);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') fail(`${what}.${name} must be a string, number or boolean`);
  }
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
}
