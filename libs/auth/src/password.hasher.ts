import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;

/**
 * Passwords hashed with scrypt (node:crypto) and a random salt, stored as
 * `scrypt$N$r$p$salt$hash`, compared in constant time.
 */
export const PasswordHasher = {
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await scryptAsync(password, salt, KEY_BYTES, PARAMS);
    return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  },

  /** Whether `password` matches `stored`; false for anything malformed. */
  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, hash] = stored.split('$');
    if (scheme !== 'scrypt' || !salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64url');
    const params = { N: Number(n), r: Number(r), p: Number(p) };
    if (![params.N, params.r, params.p].every(Number.isInteger) || expected.length !== KEY_BYTES) return false;
    const key = await scryptAsync(password, Buffer.from(salt, 'base64url'), KEY_BYTES, params);
    return timingSafeEqual(key, expected);
  },
} as const;
