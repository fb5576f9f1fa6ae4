import { MalformedPayloadError } from '../errors/malformed-payload.error.js';
import { ValidationError } from '../errors/validation.error.js';
import type { ResolvedPayloadLimits } from '../nats-transport.limits.js';
import { MESSAGES } from '../nats-transport.messages.js';
import { findLimitBreach } from './limit-scanner.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const EMPTY = new Uint8Array(0);
// Cheap pre-check: a hostile key needs one of these in the raw text (a `\u` escape can spell any key).
const SUSPICIOUS = /__proto__|constructor|\\u/;

/**
 * Where a body came from, for its errors: a subject, or a message whose subject is read only
 * when an error names it (nats.js decodes a message's subject from its bytes on first read).
 */
export type BodySource = string | { readonly subject: string };

/** The subject a source names, read from a message only now. */
export function subjectNamed(source: BodySource): string {
  return typeof source === 'string' ? source : source.subject;
}

/** JSON-encodes a payload; `undefined` is an empty body. Throws on values JSON cannot carry. */
export function encodePayload(value: unknown): Uint8Array {
  if (value === undefined) return EMPTY;
  const text = JSON.stringify(value);
  // JSON.stringify returns undefined for functions and symbols: sending nothing would lie.
  if (text === undefined) throw new TypeError(`cannot encode a ${typeof value} as JSON`);
  return utf8(text);
}

/**
 * Text as UTF-8 bytes. nats.js would encode a string with `TextEncoder`, which on Node 20
 * costs several times what `Buffer.from` does on a message-sized string.
 */
export function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/**
 * Decodes a JSON body. An empty body is `undefined`. With `limits`, a body that breaks one is
 * refused with a `ValidationError` naming it before it is parsed. Invalid UTF-8 or JSON, and
 * objects with a `__proto__` key or a `constructor` object (prototype pollution), are rejected.
 * A leading UTF-8 byte order mark is dropped (the WHATWG decoder's default), so such a body
 * parses as the same JSON without it.
 */
export function decodePayload(data: Uint8Array, source: BodySource, limits?: ResolvedPayloadLimits): unknown {
  if (data.length === 0) return undefined;
  if (limits !== undefined) checkPayloadLimits(data, limits, source);
  let text: string;
  let value: unknown;
  try {
    text = decoder.decode(data);
    value = JSON.parse(text);
  } catch (cause) {
    throw new MalformedPayloadError(MESSAGES.notJson(subjectNamed(source)), { cause });
  }
  if (SUSPICIOUS.test(text)) {
    const key = findHostileKey(value);
    if (key !== undefined) throw new MalformedPayloadError(MESSAGES.hostileKey(subjectNamed(source), key));
  }
  return value;
}

/**
 * Throws a `ValidationError` naming the first limit a JSON body breaks, read from its raw bytes
 * without parsing it; `where` (a subject, a route, a message) ends the message. Other doors
 * than NATS (an HTTP body parser) call it to hold their bodies to the same limits before they
 * parse them, with a strict JSON parser: a body shorter than `scanFromBytes` is not scanned,
 * as it cannot break a limit and still be JSON.
 */
export function checkPayloadLimits(data: Uint8Array, limits: ResolvedPayloadLimits, where: BodySource): void {
  const breach = findLimitBreach(data, limits);
  if (breach === undefined) return;
  const message = MESSAGES.payloadLimit(breach.limit, breach.max);
  throw new ValidationError([{ field: 'payload', messages: [message] }], `${message}: ${subjectNamed(where)}`);
}

// Iterative walk: a deeply nested payload must not overflow the stack.
function findHostileKey(root: unknown): string | undefined {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') return key;
      if (key === 'constructor' && child !== null && typeof child === 'object') return key;
      pending.push(child);
    }
  }
  return undefined;
}
