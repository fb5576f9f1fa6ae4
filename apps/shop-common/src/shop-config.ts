import type { AuthModuleOptions } from '@cliffracer/auth';
import type { BackdoorModuleOptions } from '@cliffracer/backdoor';
import { InvalidOptionsError } from '@cliffracer/common';
import type { DebugLoggerModuleOptions } from '@cliffracer/debug-logger';
import { natsConnectionFromEnv, type NatsTransportModuleOptions } from '@cliffracer/nats-transport';
import type { SecureRepositoryModuleOptions } from '@cliffracer/secure-repository';
import { isIP } from 'node:net';

/** Everything a service of the sample shop is configured with; tests build it by hand. */
export interface ShopServiceConfig {
  nats: NatsTransportModuleOptions;
  database: SecureRepositoryModuleOptions;
  /** Token checks; only the services that verify users need it. */
  auth?: AuthModuleOptions;
  backdoor: BackdoorModuleOptions;
  debug: DebugLoggerModuleOptions;
  /** The name of this process among the service's instances (`orders-0`, counted from 0 by the deployment manager). */
  instance: string;
  /** The HTTP door; `trustProxy`: the proxies whose `X-Forwarded-For` names the client (none by default). */
  http: { port: number; host: string; trustProxy?: string[] };
}

/**
 * Reads a service's configuration from the environment (`description` is what NATS service
 * discovery, `nats micro ls`, shows of it):
 * - `NATS_URL` (comma-separated for a cluster), `NATS_SUBJECT_PREFIX`, `NATS_DURABLE_REPLICAS`,
 *   `NATS_CONNECT_MAX_WAIT_MS` (how long a service waits for NATS at start; default 60000),
 *   `NATS_SHUTDOWN_GRACE_MS` (how long shutdown waits for in-flight handlers; default 10000);
 * - NATS credentials and TLS (`natsConnectionFromEnv`): one of `NATS_CREDS` (creds file),
 *   `NATS_NKEY_SEED`, `NATS_TOKEN`, `NATS_USER` + `NATS_PASSWORD`; `NATS_TLS_CA`, `NATS_TLS_CERT`,
 *   `NATS_TLS_KEY` (file paths or PEM text);
 * - `DATABASE_URL` with `DATABASE_SCHEMA` (default: the service name, so services sharing a
 *   server keep apart), else an embedded Postgres in `DATA_DIR/<service>` (`DATA_DIR=memory`
 *   keeps nothing; default `./.pgdata`);
 * - `JWT_SECRET` (required where tokens are checked), `JWT_ISSUER`, `JWT_AUDIENCE`;
 * - `BACKDOOR_TOKEN` (no token, no backdoor), `BACKDOOR_PORT` (default 0: any free port);
 * - `PORT` (default `defaultPort`), `HOST` (default 127.0.0.1), `CLIFFRACER_INSTANCE`;
 * - `TRUST_PROXY`: comma-separated addresses or CIDR ranges (or `loopback`, `linklocal`,
 *   `uniquelocal`) of the proxies whose `X-Forwarded-For` names the client (default none);
 * - `DEBUG_SESSION_ID` (services of one run share a session), and `DEBUG_MODE`, `DEBUG_LOG_DIR`,
 *   read by the debug logger itself.
 */
export function shopServiceConfig(
  service: string,
  options: { defaultPort: number; auth?: boolean; description?: string },
  env: NodeJS.ProcessEnv = process.env,
): ShopServiceConfig {
  const servers = (env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',').map((url) => url.trim()).filter(Boolean);
  return {
    nats: {
      service,
      ...(options.description !== undefined && { description: options.description }),
      servers,
      subjectPrefix: env.NATS_SUBJECT_PREFIX ?? '',
      durableReplicas: numberFrom(env, 'NATS_DURABLE_REPLICAS', 1),
      ...(env.NATS_CONNECT_MAX_WAIT_MS && { connectRetry: { maxWaitMs: numberFrom(env, 'NATS_CONNECT_MAX_WAIT_MS', 0) } }),
      ...(env.NATS_SHUTDOWN_GRACE_MS && { shutdownGraceMs: numberFrom(env, 'NATS_SHUTDOWN_GRACE_MS', 0) }),
      ...natsConnectionFromEnv(env),
    },
    database: env.DATABASE_URL
      ? { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA ?? service }
      : { embeddedDir: embeddedDir(env.DATA_DIR ?? './.pgdata', service) },
    ...(options.auth && { auth: shopAuthOptions(env) }),
    backdoor: { service, token: env.BACKDOOR_TOKEN || undefined, port: numberFrom(env, 'BACKDOOR_PORT', 0) },
    debug: { service, sessionId: env.DEBUG_SESSION_ID || undefined },
    instance: env.CLIFFRACER_INSTANCE ?? service,
    http: {
      port: numberFrom(env, 'PORT', options.defaultPort),
      host: env.HOST ?? '127.0.0.1',
      ...(env.TRUST_PROXY && { trustProxy: trustedProxies(env.TRUST_PROXY) }),
    },
  };
}

const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `TRUST_PROXY` as fastify takes it; anything but addresses, CIDR ranges and range names fails at boot. */
function trustedProxies(raw: string): string[] {
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address!);
    const validBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_RANGE_NAMES.has(entry) && (family === 0 || !validBits || rest.length > 0)) {
      throw new InvalidOptionsError('Shop', `TRUST_PROXY must list proxy addresses, CIDR ranges or loopback/linklocal/uniquelocal, got ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

/** Token settings shared by the shop's services: the secret only from `JWT_SECRET`, never a default. */
export function shopAuthOptions(env: NodeJS.ProcessEnv = process.env): AuthModuleOptions {
  if (!env.JWT_SECRET) throw new InvalidOptionsError('Shop', 'JWT_SECRET must be set (at least 32 characters)');
  return { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER ?? 'cliffracer-shop', audience: env.JWT_AUDIENCE ?? 'cliffracer-shop' };
}

/** A whole number from the environment, or `fallback` when unset; anything else is an error at boot. */
export function numberFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new InvalidOptionsError('Shop', `${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return value;
}

function embeddedDir(dataDir: string, service: string): string {
  return dataDir === 'memory' ? 'memory' : `${dataDir.replace(/\/+$/, '')}/${service}`;
}
