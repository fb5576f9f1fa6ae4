// Service and method names become single subject tokens: no dots, spaces or wildcards.
const TOKEN = /^[A-Za-z0-9_-]+$/;
// A subject a handler listens on: dot-separated tokens, `*` for one token, `>` for the rest.
const SUBJECT = /^([A-Za-z0-9_-]+|\*)(\.([A-Za-z0-9_-]+|\*))*(\.>)?$|^>$/;

/** True when `value` can be one subject token (a service or method name). */
export function isValidToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value);
}

/** True when `value` is a subject or a subscription pattern with `*` / `>` wildcards. */
export function isValidSubjectPattern(value: unknown): value is string {
  return typeof value === 'string' && SUBJECT.test(value);
}

/** True when `value` is a concrete subject: a pattern without `*` or `>`, one a message can be published on. */
export function isValidSubject(value: unknown): value is string {
  return isValidSubjectPattern(value) && !/[*>]/.test(value);
}

/** True for `''` or dot-separated tokens without wildcards, with or without a trailing dot. */
export function isValidPrefix(prefix: string): boolean {
  if (prefix === '') return true;
  return isValidSubject(prefix.endsWith('.') ? prefix.slice(0, -1) : prefix);
}

/** `'t42'` → `'t42.'`; `''` stays empty. Expects a prefix `isValidPrefix` accepts. */
export function normalizePrefix(prefix: string): string {
  if (prefix === '' || prefix.endsWith('.')) return prefix;
  return `${prefix}.`;
}

/** The subject an RPC handler answers on. */
export function rpcSubject(prefix: string, service: string, method: string): string {
  return `${prefix}${service}.${method}`;
}

/** True when every subject `inner` matches is also matched by `outer` (both may hold wildcards). */
export function subjectCovers(outer: string, inner: string): boolean {
  const a = outer.split('.');
  const b = inner.split('.');
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] === '>') return i < b.length;
    if (i >= b.length || b[i] === '>') return false;
    if (a[i] !== '*' && a[i] !== b[i]) return false;
  }
  return a.length === b.length;
}
