import { REDACTED } from './debug-logger.constants.js';

const SECRET_NAMES = ['password', 'passwd', 'secret', 'token', 'authorization', 'cookie', 'credential', 'apikey', 'api_key', 'api-key', 'privatekey', 'private_key', 'seed', 'creds'];
const MAX_DEPTH = 6;

/**
 * A copy of `value` in which every field named like a secret is `[REDACTED]`, at any depth.
 * Errors become `{ name, message, code }`; cycles and deep nesting are cut.
 */
export function redact(value: unknown, extraNames: readonly string[] = [], depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (value instanceof Error) return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value) || depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, extraNames, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = isSecretName(key, extraNames) ? REDACTED : redact(field, extraNames, depth + 1, seen);
  }
  return out;
}

export function isSecretName(name: string, extraNames: readonly string[] = []): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAMES.some((secret) => lower.includes(secret)) || extraNames.some((extra) => lower.includes(extra.toLowerCase()));
}
