import { CliffracerError } from './cliffracer.error.js';

/**
 * True for any Cliffracer error, including one from another copy of the library
 * (compares the shape, not only the prototype chain).
 */
export function isCliffracerError(value: unknown): value is CliffracerError {
  if (value instanceof CliffracerError) return true;
  return (
    value instanceof Error &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof value.name === 'string'
  );
}
