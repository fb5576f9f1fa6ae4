import type { PayloadLimits, ResolvedPayloadLimits } from '../nats-transport.limits.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** A limit a body breaks, and its value. */
export interface LimitBreach {
  limit: keyof PayloadLimits;
  max: number;
}

/**
 * Finds the first limit a JSON body breaks, reading its bytes once without parsing: depth from
 * brackets, counts (per container and in all) from brackets and commas, string lengths between
 * quotes (found by the native `indexOf`).
 * It stops at the first breach, so 50,000 keys cost the bytes up to key 1,001. Bodies that are
 * not JSON may pass; the parser refuses them next.
 */
export function findLimitBreach(data: Uint8Array, limits: ResolvedPayloadLimits): LimitBreach | undefined {
  if (data.length < limits.scanFromBytes) return undefined;
  const { maxDepth, maxKeys, maxArrayLength, maxStringLength, maxValues } = limits;
  // Per open container: its kind and the commas seen at its level.
  const kinds: number[] = [];
  const commas: number[] = [];
  let depth = 0;
  // Every bracket that opens a container and every comma inside one: a value of the body.
  let values = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === QUOTE) {
      const end = closingQuote(data, i + 1);
      if (end - i - 1 > maxStringLength) return { limit: 'maxStringLength', max: maxStringLength };
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > maxDepth) return { limit: 'maxDepth', max: maxDepth };
      if (++values > maxValues) return { limit: 'maxValues', max: maxValues };
      kinds[depth] = c;
      commas[depth] = 0;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    } else if (c === COMMA && depth > 0) {
      if (++values > maxValues) return { limit: 'maxValues', max: maxValues };
      const elements = ++commas[depth] + 1;
      if (kinds[depth] === OPEN_OBJECT ? elements > maxKeys : elements > maxArrayLength) {
        return kinds[depth] === OPEN_OBJECT ? { limit: 'maxKeys', max: maxKeys } : { limit: 'maxArrayLength', max: maxArrayLength };
      }
    }
  }
  return undefined;
}

// The index of the quote closing a string that starts at `from` (the body's end if none):
// a quote preceded by an odd run of backslashes is escaped.
function closingQuote(data: Uint8Array, from: number): number {
  let at = data.indexOf(QUOTE, from);
  while (at !== -1) {
    let backslashes = 0;
    while (data[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
    at = data.indexOf(QUOTE, at + 1);
  }
  return data.length;
}
