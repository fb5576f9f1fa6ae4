import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { InvalidOptionsError } from '@cliffracer/common';
import {
  type Authenticator,
  credsAuthenticator,
  nkeyAuthenticator,
  nkeys,
  type NodeConnectionOptions,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from '@nats-io/transport-node';
import type { NatsAuthOptions, NatsTlsOptions } from './interfaces/nats-transport-options.interface.js';

const MODULE = 'NatsTransport';

/** Connection options that carry secrets or TLS: they go through `auth` and `tls`, which are checked. */
const GUARDED_CONNECTION_KEYS = ['token', 'user', 'pass', 'authenticator', 'tls'] as const;

/** The ways `auth` may authenticate, as named in errors and logs (never with the secret). */
export type NatsAuthMethod = 'token' | 'user/password' | 'nkey' | 'creds';

/**
 * Checks `auth`, `tls` and `connection` at boot: exactly one auth method, whole pairs, files
 * that exist and can be read, a seed that is an NKey user seed. Messages name the field and
 * the file, never a secret.
 */
export function validateNatsSecurity(auth: NatsAuthOptions | undefined, tls: NatsTlsOptions | undefined, connection: object): void {
  for (const key of GUARDED_CONNECTION_KEYS) {
    if (key in connection) {
      throw new InvalidOptionsError(MODULE, `connection.${key} is not accepted: set credentials in auth and TLS in tls`);
    }
  }
  if (auth !== undefined) authMethod(auth);
  if (tls !== undefined) validateTls(tls);
}

/** The one method `auth` names; throws `InvalidOptionsError` when it names none, several or half of one. */
export function authMethod(auth: NatsAuthOptions): NatsAuthMethod {
  const methods: NatsAuthMethod[] = [];
  if (auth.token !== undefined) methods.push('token');
  if (auth.user !== undefined || auth.password !== undefined) methods.push('user/password');
  if (auth.nkeySeed !== undefined) methods.push('nkey');
  if (auth.credsFile !== undefined || auth.creds !== undefined) methods.push('creds');
  if (methods.length !== 1) {
    throw new InvalidOptionsError(MODULE, `auth must give exactly one of token, user/password, nkeySeed, credsFile/creds, got ${methods.length === 0 ? 'none' : methods.join(' and ')}`);
  }
  const method = methods[0]!;
  switch (method) {
    case 'token':
      requireText('auth.token', auth.token);
      break;
    case 'user/password':
      requireText('auth.user', auth.user);
      requireText('auth.password', auth.password);
      break;
    case 'nkey':
      requireText('auth.nkeySeed', auth.nkeySeed);
      if (!isUserSeed(auth.nkeySeed!)) throw new InvalidOptionsError(MODULE, 'auth.nkeySeed is not an NKey user seed (it starts with SU)');
      break;
    case 'creds':
      validateCreds(auth);
      break;
  }
  return method;
}

/** nats.js connection options for `auth` and `tls` (already validated). */
export function securityConnectionOptions(auth: NatsAuthOptions | undefined, tls: NatsTlsOptions | undefined): Partial<NodeConnectionOptions> {
  return {
    ...(auth !== undefined && { authenticator: authenticatorFor(auth) }),
    ...(tls !== undefined && { tls: tlsFor(tls) }),
  };
}

function authenticatorFor(auth: NatsAuthOptions): Authenticator {
  switch (authMethod(auth)) {
    case 'token':
      return tokenAuthenticator(auth.token!);
    case 'user/password':
      return usernamePasswordAuthenticator(auth.user!, auth.password!);
    case 'nkey': {
      const seed = new TextEncoder().encode(auth.nkeySeed!);
      return nkeyAuthenticator(seed);
    }
    case 'creds': {
      // A function, read again at each (re)connect: a rotated creds file takes effect without a restart.
      const { credsFile, creds } = auth;
      return credsAuthenticator(() => (credsFile !== undefined ? readFileSync(credsFile) : new TextEncoder().encode(creds!)));
    }
  }
}

function tlsFor(tls: NatsTlsOptions): NonNullable<NodeConnectionOptions['tls']> {
  // nats.js reads caFile/certFile/keyFile itself (node transport `loadClientCerts`), at each connect.
  const { caFile, ca, certFile, cert, keyFile, key } = tls;
  return {
    ...(caFile !== undefined ? { caFile } : ca !== undefined && { ca }),
    ...(certFile !== undefined ? { certFile } : cert !== undefined && { cert }),
    ...(keyFile !== undefined ? { keyFile } : key !== undefined && { key }),
  };
}

function validateTls(tls: NatsTlsOptions): void {
  for (const [fileKey, pemKey] of [['caFile', 'ca'], ['certFile', 'cert'], ['keyFile', 'key']] as const) {
    if (tls[fileKey] !== undefined && tls[pemKey] !== undefined) {
      throw new InvalidOptionsError(MODULE, `tls.${fileKey} and tls.${pemKey} are both set: give one`);
    }
    if (tls[fileKey] !== undefined) requireReadableFile(`tls.${fileKey}`, tls[fileKey]);
    if (tls[pemKey] !== undefined && !/-----BEGIN [A-Z ]+-----/.test(tls[pemKey])) {
      throw new InvalidOptionsError(MODULE, `tls.${pemKey} is not PEM text (no -----BEGIN line)`);
    }
  }
  const hasCert = tls.certFile !== undefined || tls.cert !== undefined;
  const hasKey = tls.keyFile !== undefined || tls.key !== undefined;
  if (hasCert !== hasKey) throw new InvalidOptionsError(MODULE, 'tls needs both a client certificate and its key, or neither');
}

function validateCreds(auth: NatsAuthOptions): void {
  if (auth.credsFile !== undefined && auth.creds !== undefined) {
    throw new InvalidOptionsError(MODULE, 'auth.credsFile and auth.creds are both set: give one');
  }
  let text: string;
  if (auth.credsFile !== undefined) {
    requireReadableFile('auth.credsFile', auth.credsFile);
    text = readFileSync(auth.credsFile, 'utf8');
  } else {
    text = auth.creds ?? '';
  }
  const where = auth.credsFile !== undefined ? `auth.credsFile ${auth.credsFile}` : 'auth.creds';
  if (!/-----BEGIN NATS USER JWT-----/.test(text) || !/-----BEGIN USER NKEY SEED-----/.test(text)) {
    throw new InvalidOptionsError(MODULE, `${where} is not a NATS creds file (it needs a user JWT and a user NKey seed block)`);
  }
}

function requireText(key: string, value: string | undefined): void {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidOptionsError(MODULE, `${key} must be a non-empty string`);
}

function requireReadableFile(key: string, path: string | undefined): void {
  requireText(key, path);
  try {
    if (!statSync(path!).isFile()) throw new Error('not a file');
    accessSync(path!, constants.R_OK);
  } catch {
    throw new InvalidOptionsError(MODULE, `${key} ${path} is not a readable file`);
  }
}

function isUserSeed(seed: string): boolean {
  try {
    const pair = nkeys.fromSeed(new TextEncoder().encode(seed));
    return pair.getPublicKey().startsWith('U');
  } catch {
    return false;
  }
}
