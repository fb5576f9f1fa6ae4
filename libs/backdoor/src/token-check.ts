import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares in constant time; hashing first makes the lengths equal, so length leaks nothing. */
export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
