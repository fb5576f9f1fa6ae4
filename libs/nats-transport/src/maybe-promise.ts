/**
 * A result that is there at once or later. The message path passes plain results on without a
 * promise: under the correlation context every promise costs async-hook calls, and a handler
 * that finishes at once needs none.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isThenable(value: unknown): value is Promise<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
