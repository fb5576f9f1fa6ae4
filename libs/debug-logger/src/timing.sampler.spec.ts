import { describe, expect, it } from '@jest/globals';
import { TimingSampler } from './timing.sampler.js';

/** Offers `count` entries, request IDs `${prefix}${i}`; returns the indexes admitted. */
function offer(sampler: TimingSampler, count: number, { keep = (_i: number): boolean => false, prefix = 'req-' } = {}): number[] {
  const admitted: number[] = [];
  for (let i = 0; i < count; i += 1) if (sampler.admit(1 + (i % 5), keep(i), `${prefix}${i}`)) admitted.push(i);
  return admitted;
}

/** A sampler whose last window saw `rate` entries a second (its stride set from it). */
function after(rate: number, perSecond = 100): TimingSampler {
  const sampler = new TimingSampler(perSecond, 0);
  offer(sampler, rate, { prefix: 'warm-' });
  sampler.roll(1000);
  return sampler;
}

describe('TimingSampler', () => {
  it('writes every entry while fewer than perSecond arrive, and has nothing to sum up', () => {
    const sampler = new TimingSampler(100, 0);
    expect(offer(sampler, 100)).toHaveLength(100);
    expect(sampler.pending).toBe(false);
    expect(sampler.roll(1000)).toBeUndefined();
  });

  it('caps a sudden burst at perSecond and sums up what it left out', () => {
    const sampler = new TimingSampler(100, 0);
    expect(offer(sampler, 5000)).toHaveLength(100);
    expect(sampler.pending).toBe(true);
    expect(sampler.ended(999)).toBe(false);
    expect(sampler.ended(1000)).toBe(true);
    expect(sampler.roll(1000)).toEqual({ skipped: 4900, written: 100, window_ms: 1000, skipped_mean_ms: 3, skipped_max_ms: 5 });
  });

  it('under a steady load writes half to all of perSecond, spread over the whole window', () => {
    const admitted = offer(after(5000), 5000);
    expect(admitted.length).toBeGreaterThanOrEqual(50);
    expect(admitted.length).toBeLessThanOrEqual(100);
    expect(admitted[0]).toBeLessThan(500);
    expect(admitted.at(-1)).toBeGreaterThan(4500);
  });

  it('keeps or leaves out all the entries of one request together', () => {
    const sampler = after(2400);
    const decisions = new Map<string, boolean[]>();
    for (let i = 0; i < 800; i += 1) {
      for (let entry = 0; entry < 3; entry += 1) {
        const id = `req-${i}`;
        decisions.set(id, [...(decisions.get(id) ?? []), sampler.admit(1, false, id)]);
      }
    }
    const kept = [...decisions.values()].filter((d) => d[0]);
    expect(kept.length).toBeGreaterThan(0);
    expect([...decisions.values()].every((d) => d.every((one) => one === d[0]))).toBe(true);
  });

  // Strides 16 and 8, each at a rate that stays under the cap, over the same request IDs.
  it('keeps in a service with a smaller stride every request one with a larger stride keeps', () => {
    const coarse = offer(after(1500), 700);
    const fine = new Set(offer(after(700), 700));
    expect(coarse.length).toBeGreaterThan(0);
    expect(fine.size).toBeGreaterThan(coarse.length);
    expect(coarse.every((i) => fine.has(i))).toBe(true);
  });

  it('always writes the entries to keep (failed, slow), without taking from the others', () => {
    const sampler = new TimingSampler(10, 0);
    const keep = (i: number) => i % 100 === 0;
    expect(offer(sampler, 1000, { keep })).toHaveLength(10 + 10);
    expect(sampler.roll(1000)?.skipped).toBe(1000 - 20);
  });

  it('writes every entry again once the load falls, and counts an idle stretch as slow', () => {
    const sampler = after(5000);
    offer(sampler, 3000);
    sampler.roll(31_000);
    expect(offer(sampler, 100)).toHaveLength(100);
  });
});
