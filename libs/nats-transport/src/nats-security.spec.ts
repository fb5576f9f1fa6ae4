import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { nkeys } from '@nats-io/transport-node';
import { authMethod, securityConnectionOptions, validateNatsSecurity } from './nats-security.js';

const dir = mkdtempSync(join(tmpdir(), 'cliffracer-security-spec-'));
const pemFile = join(dir, 'ca.pem');
writeFileSync(pemFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const userSeed = new TextDecoder().decode(nkeys.createUser().getSeed());
const accountSeed = new TextDecoder().decode(nkeys.createAccount().getSeed());
const credsText = `-----BEGIN NATS USER JWT-----\neyJ0eXAi.e30.sig\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n${userSeed}\n------END USER NKEY SEED------\n`;
const credsFile = join(dir, 'user.creds');
writeFileSync(credsFile, credsText);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe('validateNatsSecurity', () => {
  describe('auth', () => {
    it('names the one method given', () => {
      expect(authMethod({ token: 't' })).toBe('token');
      expect(authMethod({ user: 'u', password: 'p' })).toBe('user/password');
      expect(authMethod({ nkeySeed: userSeed })).toBe('nkey');
      expect(authMethod({ credsFile })).toBe('creds');
      expect(authMethod({ creds: credsText })).toBe('creds');
    });

    it('refuses two methods at once, naming both', () => {
      const error = failure(() => validateNatsSecurity({ token: 'secret-token', nkeySeed: userSeed }, undefined, {}));
      expect(error).toBeInstanceOf(InvalidOptionsError);
      expect(error.message).toBe('invalid NatsTransport options: auth must give exactly one of token, user/password, nkeySeed, credsFile/creds, got token and nkey');
    });

    it('refuses an empty auth object', () => {
      expect(() => validateNatsSecurity({}, undefined, {})).toThrow('auth must give exactly one of token, user/password, nkeySeed, credsFile/creds, got none');
    });

    it('refuses a user without a password', () => {
      expect(() => validateNatsSecurity({ user: 'shop' }, undefined, {})).toThrow('invalid NatsTransport options: auth.password must be a non-empty string');
    });

    it('refuses an empty token', () => {
      expect(() => validateNatsSecurity({ token: '' }, undefined, {})).toThrow('auth.token must be a non-empty string');
    });

    it('refuses a seed that is not a user seed, without quoting it', () => {
      for (const seed of ['SUnot-a-seed', accountSeed]) {
        const error = failure(() => validateNatsSecurity({ nkeySeed: seed }, undefined, {}));
        expect(error.message).toBe('invalid NatsTransport options: auth.nkeySeed is not an NKey user seed (it starts with SU)');
        expect(error.message).not.toContain(seed);
      }
    });

    it('names a missing creds file', () => {
      const missing = join(dir, 'missing.creds');
      expect(() => validateNatsSecurity({ credsFile: missing }, undefined, {})).toThrow(`auth.credsFile ${missing} is not a readable file`);
    });

    it('names a creds file that holds no JWT and seed, without quoting it', () => {
      const bad = join(dir, 'bad.creds');
      writeFileSync(bad, `just a seed ${userSeed}`);
      const error = failure(() => validateNatsSecurity({ credsFile: bad }, undefined, {}));
      expect(error.message).toBe(`invalid NatsTransport options: auth.credsFile ${bad} is not a NATS creds file (it needs a user JWT and a user NKey seed block)`);
      expect(error.message).not.toContain(userSeed);
    });
  });

  describe('tls', () => {
    it('accepts readable files and PEM strings', () => {
      expect(() => validateNatsSecurity(undefined, { caFile: pemFile, cert: '-----BEGIN CERTIFICATE-----\nx', keyFile: pemFile }, {})).not.toThrow();
    });

    it('names a missing file', () => {
      const missing = join(dir, 'nope.pem');
      expect(() => validateNatsSecurity(undefined, { certFile: missing, keyFile: pemFile }, {})).toThrow(`tls.certFile ${missing} is not a readable file`);
    });

    it('names a folder given as a file', () => {
      expect(() => validateNatsSecurity(undefined, { caFile: dir }, {})).toThrow(`tls.caFile ${dir} is not a readable file`);
    });

    it('refuses a certificate without its key', () => {
      expect(() => validateNatsSecurity(undefined, { certFile: pemFile }, {})).toThrow('tls needs both a client certificate and its key, or neither');
    });

    it('refuses a file and a PEM string for the same thing', () => {
      expect(() => validateNatsSecurity(undefined, { caFile: pemFile, ca: '-----BEGIN CERTIFICATE-----' }, {})).toThrow('tls.caFile and tls.ca are both set: give one');
    });

    it('refuses a PEM string that is not PEM, without quoting it', () => {
      const error = failure(() => validateNatsSecurity(undefined, { key: 'secret-key-bytes' }, {}));
      expect(error.message).toBe('invalid NatsTransport options: tls.key is not PEM text (no -----BEGIN line)');
    });
  });

  describe('connection', () => {
    it('refuses credentials and TLS passed around the checks', () => {
      for (const key of ['token', 'user', 'pass', 'authenticator', 'tls']) {
        expect(() => validateNatsSecurity(undefined, undefined, { [key]: 'x' })).toThrow(`connection.${key} is not accepted: set credentials in auth and TLS in tls`);
      }
    });
  });
});

describe('securityConnectionOptions', () => {
  it('maps tls onto the node transport names', () => {
    expect(securityConnectionOptions(undefined, { caFile: pemFile, cert: 'C', key: 'K' })).toEqual({ tls: { caFile: pemFile, cert: 'C', key: 'K' } });
  });

  it('gives an authenticator for auth and nothing else', () => {
    const options = securityConnectionOptions({ nkeySeed: userSeed }, undefined);
    expect(Object.keys(options)).toEqual(['authenticator']);
    expect(typeof options.authenticator).toBe('function');
  });

  it('reads a creds file for each authentication', () => {
    const auth = (securityConnectionOptions({ credsFile }, undefined).authenticator as (nonce?: string) => { jwt?: string; nkey?: string; sig?: string });
    expect(auth('nonce').jwt).toBe('eyJ0eXAi.e30.sig');
  });
});
