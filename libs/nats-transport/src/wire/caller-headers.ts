import { InvalidOptionsError } from '@cliffracer/common';
import type { MsgHdrs } from '@nats-io/transport-node';
import { CALLER_HEADER_LIMITS } from '../nats-transport.limits.js';
import { MESSAGES } from '../nats-transport.messages.js';

/** Headers a caller passed, checked and copied, in the order given. */
export type CallerHeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** Header names the framework sets and reads itself (lower case). */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['x-correlation-id', 'authorization', 'traceparent', 'tracestate']);
/**
 * Reserved name prefixes (lower case): NATS's own (`Nats-Msg-Id`, `Nats-Expected-*`, the
 * service error headers `Nats-Service-Error*`) and the framework's dead-letter headers.
 */
const RESERVED_PREFIXES = ['nats-', 'cliffracer-'] as const;

/** RFC 9110 `token`: what nats.js and HTTP both read as a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/**
 * Controls other than tab end or forge a header line (CR, LF) or a terminal's output (ESC,
 * BEL); a lone surrogate would reach the handler as U+FFFD, not as sent.
 */
const UNSENDABLE = /[\x00-\x08\x0a-\x1f\x7f]|\p{Cs}/u;

/**
 * Whether header `name` is one the framework owns: `X-Correlation-ID`, `Authorization`,
 * `traceparent`, `tracestate`, `Nats-*` and `Cliffracer-*`, in any casing.
 */
export function isReservedHeader(name: string): boolean {
  return isReservedLower(name.toLowerCase());
}

/** Whether `name` can be a header name (an RFC 9110 token). */
export function isHeaderToken(name: string): boolean {
  return TOKEN.test(name);
}

function isReservedLower(lower: string): boolean {
  return RESERVED_NAMES.has(lower) || RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/**
 * Checks the headers a caller passed to `call` or `emit` (a plain object of names to strings)
 * against the rules and `CALLER_HEADER_LIMITS`, and copies them, so a later change to the
 * object does not reach the message. Throws `InvalidOptionsError` naming the header and
 * `target` (the rpc or subject) at the first fault.
 */
export function checkCallerHeaders(headers: unknown, target: string): CallerHeaderList {
  const proto = typeof headers === 'object' && headers !== null ? Object.getPrototypeOf(headers) : undefined;
  if (proto !== Object.prototype && proto !== null) throw refusal(MESSAGES.headersNotObject(target));
  const record = headers as Record<string, unknown>;
  const names = Object.keys(record);
  const { maxHeaders, maxBytes } = CALLER_HEADER_LIMITS;
  if (names.length > maxHeaders) throw refusal(MESSAGES.tooManyHeaders(names.length, maxHeaders, target));
  const seen = new Set<string>();
  const list: Array<readonly [string, string]> = [];
  let bytes = 0;
  for (const name of names) {
    if (!isHeaderToken(name)) throw refusal(MESSAGES.invalidHeaderName(name, target));
    const lower = name.toLowerCase();
    if (isReservedLower(lower)) throw refusal(MESSAGES.reservedHeader(name, target));
    if (seen.has(lower)) throw refusal(MESSAGES.duplicateHeader(name, target));
    seen.add(lower);
    const value = record[name];
    if (typeof value !== 'string' || UNSENDABLE.test(value)) throw refusal(MESSAGES.invalidHeaderValue(name, target));
    bytes += name.length + Buffer.byteLength(value);
    if (bytes > maxBytes) throw refusal(MESSAGES.headersTooLarge(maxBytes, target));
    list.push([name, value]);
  }
  return list;
}

/**
 * The caller headers of a received message as a plain object keyed by lower-case name:
 * reserved headers are left out; values of one name sent more than once (or in two casings)
 * are joined with `, `, as HTTP joins repeated fields.
 */
export function callerHeadersOf(headers: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const [name, values] of headers) {
    const lower = name.toLowerCase();
    if (isReservedLower(lower)) continue;
    const joined = values.join(', ');
    // defineProperty, so a header named `__proto__` is an ordinary key and not the prototype.
    const value = Object.hasOwn(out, lower) ? `${out[lower]}, ${joined}` : joined;
    Object.defineProperty(out, lower, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The value of caller header `name` (any casing) on a received message, values sent more than
 * once joined with `, `; `undefined` when absent.
 */
export function callerHeaderOf(headers: MsgHdrs | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  const lower = name.toLowerCase();
  let value: string | undefined;
  for (const [key, values] of headers) {
    if (key.toLowerCase() !== lower) continue;
    const joined = values.join(', ');
    value = value === undefined ? joined : `${value}, ${joined}`;
  }
  return value;
}

function refusal(reason: string): InvalidOptionsError {
  return new InvalidOptionsError('NatsClient', reason);
}
