import { InvalidOptionsError } from '@cliffracer/common';
import type { NatsAuthOptions, NatsTlsOptions, NatsTransportModuleOptions } from './interfaces/nats-transport-options.interface.js';

/** The environment variables `natsConnectionFromEnv` reads, each naming one credential or TLS file. */
export const NATS_ENV = {
  CREDS: 'NATS_CREDS',
  NKEY_SEED: 'NATS_NKEY_SEED',
  TOKEN: 'NATS_TOKEN',
  USER: 'NATS_USER',
  PASSWORD: 'NATS_PASSWORD',
  TLS_CA: 'NATS_TLS_CA',
  TLS_CERT: 'NATS_TLS_CERT',
  TLS_KEY: 'NATS_TLS_KEY',
} as const;

/**
 * The `auth` and `tls` transport options an app's environment gives, for the app to spread into
 * its `NatsTransportModule` options:
 * - `NATS_CREDS` (path of a creds file), `NATS_NKEY_SEED`, `NATS_TOKEN`, or `NATS_USER` with
 *   `NATS_PASSWORD`: at most one of them;
 * - `NATS_TLS_CA`, `NATS_TLS_CERT`, `NATS_TLS_KEY`: file paths, or the PEM text itself (a value
 *   starting with `-----BEGIN`).
 * Unset and empty variables count as absent. A conflict throws `InvalidOptionsError` naming the
 * variables, never their values; files are checked when the transport's options are normalized.
 *
 * @example
 * NatsTransportModule.forRoot({ service: 'orders', servers: env.NATS_URL, ...natsConnectionFromEnv(process.env) })
 */
export function natsConnectionFromEnv(env: Readonly<Record<string, string | undefined>>): Pick<NatsTransportModuleOptions, 'auth' | 'tls'> {
  const value = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const given: Array<[string, NatsAuthOptions]> = [];
  const creds = value(NATS_ENV.CREDS);
  if (creds !== undefined) given.push([NATS_ENV.CREDS, { credsFile: creds }]);
  const seed = value(NATS_ENV.NKEY_SEED);
  if (seed !== undefined) given.push([NATS_ENV.NKEY_SEED, { nkeySeed: seed }]);
  const token = value(NATS_ENV.TOKEN);
  if (token !== undefined) given.push([NATS_ENV.TOKEN, { token }]);
  const user = value(NATS_ENV.USER);
  const password = value(NATS_ENV.PASSWORD);
  if (user !== undefined || password !== undefined) {
    if (user === undefined || password === undefined) {
      throw new InvalidOptionsError('NatsTransport', `${NATS_ENV.USER} and ${NATS_ENV.PASSWORD} must be set together`);
    }
    given.push([`${NATS_ENV.USER}/${NATS_ENV.PASSWORD}`, { user, password }]);
  }
  if (given.length > 1) {
    throw new InvalidOptionsError('NatsTransport', `set one NATS credential, got ${given.map(([name]) => name).join(' and ')}`);
  }
  const tls = tlsFromEnv(value(NATS_ENV.TLS_CA), value(NATS_ENV.TLS_CERT), value(NATS_ENV.TLS_KEY));
  return { ...(given[0] !== undefined && { auth: given[0][1] }), ...(tls !== undefined && { tls }) };
}

function tlsFromEnv(ca: string | undefined, cert: string | undefined, key: string | undefined): NatsTlsOptions | undefined {
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  return {
    ...pemOrFile(ca, 'caFile', 'ca'),
    ...pemOrFile(cert, 'certFile', 'cert'),
    ...pemOrFile(key, 'keyFile', 'key'),
  };
}

function pemOrFile<F extends keyof NatsTlsOptions, P extends keyof NatsTlsOptions>(value: string | undefined, fileKey: F, pemKey: P): Partial<NatsTlsOptions> {
  if (value === undefined) return {};
  return value.trimStart().startsWith('-----BEGIN') ? { [pemKey]: value } : { [fileKey]: value };
}
