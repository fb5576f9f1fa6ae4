import { describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { normalizeAuthOptions } from './auth.options.js';
import { UnauthorizedError } from './errors/unauthorized.error.js';
import { TokenService } from './token.service.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const base = { issuer: 'cliffracer-tests', audience: 'shop', secret: SECRET };
const service = new TokenService(normalizeAuthOptions(base));

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({ sub: 'u-1', iss: base.issuer, aud: base.audience, iat: now(), exp: now() + 60, roles: ['admin'], ...extra });

/** A token signed by hand, so any header and claims can be tried. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, key: string | Buffer = SECRET): string {
  return forgeRaw(header, JSON.stringify(payload), key);
}

/** A token signed by hand around a payload JSON cannot produce (`1e400`, `null`). */
function forgeRaw(header: Record<string, unknown>, payload: string, key: string | Buffer = SECRET): string {
  const body = `${b64(header)}.${b64(payload)}`;
  const alg = String(header.alg);
  if (alg === 'none') return `${body}.`;
  if (alg.startsWith('HS')) return `${body}.${createHmac(`sha${alg.slice(2)}`, key).update(body).digest('base64url')}`;
  return `${body}.${rsaSign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

async function refusal(token: string | undefined, verifier = service): Promise<string> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  return (error as UnauthorizedError).reason ?? 'no reason given';
}

describe('TokenService', () => {
  describe('verify', () => {
    it('accepts a token it issued and gives its user', async () => {
      const token = await service.issue({ sub: 'u-1', roles: ['admin'], permissions: ['orders:write'] });
      await expect(service.verify(token)).resolves.toMatchObject({ sub: 'u-1', roles: ['admin'], permissions: ['orders:write'] });
    });

    it.each([
      ['an expired token', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ exp: now() - 60 })), 'token expired'],
      ['a token not yet valid', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ nbf: now() + 600 })), 'token not yet valid'],
      ['a wrong signature', () => forge({ alg: 'HS256', typ: 'JWT' }, claims(), 'another-secret-of-at-least-32-characters'), 'bad signature'],
      ['another HS algorithm', () => forge({ alg: 'HS512', typ: 'JWT' }, claims()), 'algorithm not allowed'],
      ['alg none', () => forge({ alg: 'none', typ: 'JWT' }, claims()), 'bad signature'],
      ['a wrong issuer', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ iss: 'someone-else' })), 'wrong issuer'],
      ['a wrong audience', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ aud: 'other-app' })), 'wrong audience'],
      ['no exp', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ exp: undefined })), 'missing exp'],
      ['no subject', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ sub: undefined })), 'missing sub'],
      ['an oversized token', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ padding: 'x'.repeat(9000) })), 'token too large'],
      ['garbage', () => 'not.a.jwt', 'malformed token'],
      ['two parts', () => 'abc.def', 'malformed token'],
      ['no token', () => '', 'no token'],
      ['an iat that is not a number', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ iat: 'yesterday' })), 'iat is not a number'],
      ['an nbf that is not a number', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ nbf: 'soon' })), 'nbf is not a number'],
      ['an exp that is not a number', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ exp: String(now() + 60) })), 'exp is not a number'],
      ['an exp of 1e400 (Infinity once parsed)', () => forgeRaw({ alg: 'HS256', typ: 'JWT' }, `{"sub":"u-1","iss":"${base.issuer}","aud":"${base.audience}","exp":1e400}`), 'exp is not a number'],
      ['an iat in the future', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ iat: now() + 600, exp: now() + 660 })), 'issued in the future'],
      ['a crit header', () => forge({ alg: 'HS256', typ: 'JWT', crit: ['exp'], exp: now() + 60 }, claims()), 'crit header not supported'],
      ['a ten-year token', () => forge({ alg: 'HS256', typ: 'JWT' }, claims({ exp: now() + 10 * 365 * 86_400 })), 'lifetime too long'],
      ['a signed payload of null', () => forgeRaw({ alg: 'HS256', typ: 'JWT' }, 'null'), 'malformed token'],
    ])('refuses %s', async (_what, token, reason) => {
      expect(await refusal(token())).toBe(reason);
    });

    it('refuses an HS token signed with the public key of an RS service (algorithm confusion)', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const rs = new TokenService(normalizeAuthOptions({ issuer: base.issuer, audience: base.audience, algorithm: 'RS256', publicKey: pem, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }));
      await expect(rs.verify(await rs.issue({ sub: 'u-2' }))).resolves.toMatchObject({ sub: 'u-2' });
      expect(await refusal(forge({ alg: 'HS256', typ: 'JWT' }, claims(), pem), rs)).toBe('algorithm not allowed');
    });

    it('accepts its own tokens when expiresInSec equals maxTokenLifetimeSec', async () => {
      const longest = new TokenService(normalizeAuthOptions({ ...base, expiresInSec: 7200, maxTokenLifetimeSec: 7200 }));
      const token = await longest.issue({ sub: 'u-3' });
      const { exp, iat } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
      expect(exp - iat).toBe(7200);
      await expect(longest.verify(token)).resolves.toMatchObject({ sub: 'u-3' });
    });

    it('refuses a token from a longer-lived issuer with the same key once it exceeds maxTokenLifetimeSec', async () => {
      const strict = new TokenService(normalizeAuthOptions({ ...base, expiresInSec: 60, maxTokenLifetimeSec: 60 }));
      expect(await refusal(await service.issue({ sub: 'u-4' }), strict)).toBe('lifetime too long');
    });

    it('tolerates the configured clock skew', async () => {
      const lenient = new TokenService(normalizeAuthOptions({ ...base, clockToleranceSec: 120 }));
      await expect(lenient.verify(forge({ alg: 'HS256', typ: 'JWT' }, claims({ exp: now() - 60 })))).resolves.toMatchObject({ sub: 'u-1' });
    });
  });
});
