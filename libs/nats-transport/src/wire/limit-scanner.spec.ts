import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_PAYLOAD_LIMITS, resolvePayloadLimits } from '../nats-transport.limits.js';
import { findLimitBreach } from './limit-scanner.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const small = resolvePayloadLimits('test', { maxDepth: 3, maxKeys: 3, maxArrayLength: 4, maxStringLength: 5 });

// What the scanner decides, computed the slow way on the parsed value.
function breachOfParsed(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return value.length > small.maxStringLength ? 'maxStringLength' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth + 1 > small.maxDepth) return 'maxDepth';
  const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
  if (Array.isArray(value) ? value.length > small.maxArrayLength : entries.length > small.maxKeys) {
    return Array.isArray(value) ? 'maxArrayLength' : 'maxKeys';
  }
  for (const [key, child] of entries) {
    if (key.length > small.maxStringLength) return 'maxStringLength';
    const inner = breachOfParsed(child, depth + 1);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

describe('findLimitBreach', () => {
  it.each([
    ['maxDepth', '[[[[1]]]]'],
    ['maxKeys', '{"a":1,"b":2,"c":3,"d":4}'],
    ['maxArrayLength', '[1,2,3,4,5]'],
    ['maxStringLength', '{"a":"abcdef"}'],
    ['maxStringLength', '{"abcdef":1}'],
  ])('names %s when a body breaks it', (limit, text) => {
    expect(findLimitBreach(bytes(text), small)?.limit).toBe(limit);
  });

  it('names maxValues when containers within their own limits hold too many values in all', () => {
    const limits = resolvePayloadLimits('test', { maxValues: 10 });
    expect(findLimitBreach(bytes('[[1,2,3],[4,5,6],[7,8,9]]'), limits)).toEqual({ limit: 'maxValues', max: 10 });
    expect(findLimitBreach(bytes('[{},{},{},{},{},{},{},{},{},{}]'), limits)?.limit).toBe('maxValues');
    expect(findLimitBreach(bytes('[[1,2,3],[4,5,6]]'), limits)).toBeUndefined();
  });

  it('passes a body within every limit', () => {
    expect(findLimitBreach(bytes('{"a":[1,2,3,4],"b":{"c":"abcde"},"d":"x"}'), small)).toBeUndefined();
  });

  it('does not count brackets, commas or escaped quotes inside strings', () => {
    expect(findLimitBreach(bytes('["[[[","a,b,",",,,,"]'), small)).toBeUndefined();
    expect(findLimitBreach(bytes('["\\"[[[[,,,,\\""]'), resolvePayloadLimits('t', { maxDepth: 3 }))).toBeUndefined();
    expect(findLimitBreach(bytes('["a\\\\",[[[[1]]]]]'), small)?.limit).toBe('maxDepth');
  });

  it('stops at the first breach: 50,000 keys cost the bytes up to the first one too many', () => {
    const keys = `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
    const limits = resolvePayloadLimits('test');
    const startedAt = performance.now();
    expect(findLimitBreach(bytes(keys), limits)).toEqual({ limit: 'maxKeys', max: DEFAULT_PAYLOAD_LIMITS.maxKeys });
    expect(performance.now() - startedAt).toBeLessThan(20);
  });

  it('counts the elements of each array at its own level, however deep', () => {
    const limits = resolvePayloadLimits('test', { maxDepth: 300, maxArrayLength: 3, maxValues: 10_000 });
    const nested = (depth: number, innermost: string) => `${'['.repeat(depth)}${innermost}${']'.repeat(depth)}`;
    expect(findLimitBreach(bytes(nested(200, '1,2,3,4')), limits)).toEqual({ limit: 'maxArrayLength', max: 3 });
    expect(findLimitBreach(bytes(nested(200, '1,2,3')), limits)).toBeUndefined();
    // Two arrays of three side by side at level 150 break nothing: neither counts the other's commas.
    const twoArrays = `${'['.repeat(149)}[1,2,3],[4,5,6]${']'.repeat(149)}`;
    expect(findLimitBreach(bytes(twoArrays), limits)).toBeUndefined();
  });

  it('skips bodies shorter than any breach of a JSON body could be', () => {
    expect(small.scanFromBytes).toBe(5);
    expect(resolvePayloadLimits('test').scanFromBytes).toBe(2 * DEFAULT_PAYLOAD_LIMITS.maxDepth);
    // Unbalanced, it is not JSON: the parse refuses it.
    expect(findLimitBreach(bytes('[[[['), small)).toBeUndefined();
    // The shortest JSON nesting too deep is scanned, and refused.
    expect(findLimitBreach(bytes('[[[]]]'), resolvePayloadLimits('t', { maxDepth: 2 }))).toEqual({ limit: 'maxDepth', max: 2 });
  });

  it('skips no JSON body deep enough to break maxDepth (property)', () => {
    const shallow = resolvePayloadLimits('t', { maxDepth: 3, maxStringLength: 1000 });
    expect(shallow.scanFromBytes).toBe(6);
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium', maxDepth: 6 }), (text) => {
        if (Buffer.byteLength(text) < shallow.scanFromBytes) expect(depthOf(JSON.parse(text))).toBeLessThanOrEqual(shallow.maxDepth);
      }),
      { numRuns: 3000, examples: [['[[[]]]'], ['[[]]'], ['{"":[[]]}']] },
    );
  });

  it('agrees with a walk of the parsed value on any JSON (property)', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'medium' }), (text) => {
        const value = JSON.parse(text) as unknown;
        // Measured in bytes of the JSON text, the scanner may see a longer string than the parsed one.
        const expected = breachOfParsed(value);
        const found = findLimitBreach(bytes(text), small)?.limit;
        if (expected !== undefined && expected !== 'maxStringLength') expect(found).toBeDefined();
        if (found === undefined) expect(expected).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});
