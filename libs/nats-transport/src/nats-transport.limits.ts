import { InvalidOptionsError } from '@cliffracer/common';

/**
 * Bounds on a request or event body, checked on its raw bytes before it is parsed, so a hostile
 * body costs a scan that stops at the first limit it breaks, never a parse or a transform (a
 * body too short to break one and still be JSON is parsed unscanned: the parse refuses it).
 */
export interface PayloadLimits {
  /**
   * Deepest nesting of objects and arrays.
   * @default 32
   */
  maxDepth: number;
  /**
   * Most keys in one object.
   * @default 1000
   */
  maxKeys: number;
  /**
   * Most elements in one array.
   * @default 10000
   */
  maxArrayLength: number;
  /**
   * Longest string (keys included), in bytes of its JSON text.
   * @default 262144 (256 KiB)
   */
  maxStringLength: number;
  /**
   * Most values in the whole body: objects, arrays and elements at any depth, counted as the
   * brackets and commas that separate them. Per-container limits alone let 30 arrays of 10,000
   * elements, or 90,000 empty objects (270 KB), through, which class-transformer then walks for
   * a quarter to half a second per message even when whitelisting drops them afterwards.
   * @default 20000
   */
  maxValues: number;
}

/** Limits no real payload meets; a service or a handler may lower or raise each. */
export const DEFAULT_PAYLOAD_LIMITS: Readonly<PayloadLimits> = Object.freeze({
  maxDepth: 32,
  maxKeys: 1000,
  maxArrayLength: 10_000,
  maxStringLength: 256 * 1024,
  maxValues: 20_000,
});

/**
 * Limits with the smallest JSON body that could break one of them, so shorter bodies skip the
 * scan. What skips it must then be parsed as strict JSON, which refuses a shorter body that
 * nests too deep.
 */
export interface ResolvedPayloadLimits extends PayloadLimits {
  readonly scanFromBytes: number;
}

const LIMIT_NAMES = Object.keys(DEFAULT_PAYLOAD_LIMITS) as (keyof PayloadLimits)[];

/** Merges `overrides` over `base`, checking every value; throws `InvalidOptionsError` at boot. */
export function resolvePayloadLimits(
  owner: string,
  overrides: Partial<PayloadLimits> = {},
  base: PayloadLimits = DEFAULT_PAYLOAD_LIMITS,
): ResolvedPayloadLimits {
  const limits = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (!LIMIT_NAMES.includes(key as keyof PayloadLimits)) {
      throw new InvalidOptionsError(owner, `unknown payload limit ${JSON.stringify(key)}: use ${LIMIT_NAMES.join(', ')}`);
    }
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) {
      throw new InvalidOptionsError(owner, `payload limit ${key} must be a positive whole number, got ${value}`);
    }
    limits[key as keyof PayloadLimits] = value;
  }
  // Depth needs two brackets per level (a shorter body nesting deeper is not JSON, and its
  // parse fails as cheaply as a scan would), a count two bytes per element, a string its own
  // bytes, values one bracket or comma each.
  const scanFromBytes = Math.min(2 * limits.maxDepth, 2 * limits.maxKeys, 2 * limits.maxArrayLength, limits.maxStringLength, limits.maxValues);
  return { ...limits, scanFromBytes };
}

/**
 * Bounds on the headers a caller passes to `call` and `emit` (`{ headers }`), checked on the
 * caller before anything is sent. Fixed, not an option: headers are for small routing facts (a
 * tenant, an idempotency key), and every handler of every service reads them.
 */
export interface CallerHeaderLimits {
  /** Most headers on one call or event. */
  readonly maxHeaders: number;
  /** Most bytes of all names and values together (UTF-8). */
  readonly maxBytes: number;
}

/** The caller header limits: 32 headers, 8 KiB of names and values. */
export const CALLER_HEADER_LIMITS: CallerHeaderLimits = Object.freeze({
  maxHeaders: 32,
  maxBytes: 8 * 1024,
});
