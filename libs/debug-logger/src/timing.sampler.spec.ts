import { describe, expect, it } from '@jest/globals';
import { TimingSampler } from './timing.sampler.js';

/** Offers `count` entries spread over one window from `start`; returns how many were admitted. */
function offer(sampler: TimingSampler, count: number, keep = (_i: number) => false): number {
  let admitted = 0;
  for (let i = 0; i < count; i += 1) if (sampler.admit(1 + (i % 5), keep(i))) admitted += 1;
  return admitted;
}

describe('TimingSampler', () => {
  it('writes every entry while fewer than perSecond arrive, and has nothing to sum up', () => {
    const sampler = new TimingSampler(100, 0);
    expect(offer(sampler, 100)).toBe(100);
    expect(sampler.pending).toBe(false);
    expect(sampler.roll(1000)).toBeUndefined();
  });

  it('caps a sudden burst at perSecond and sums up what it left out', () => {
    const sampler = new TimingSampler(100, 0);
    expect(offer(sampler, 5000)).toBe(100);
    expect(sampler.pending).toBe(true);
    expect(sampler.ended(999)).toBe(false);
    expect(sampler.ended(1000)).toBe(true);
    expect(sampler.roll(1000)).toEqual({ skipped: 4900, written: 100, window_ms: 1000, skipped_mean_ms: 3, skipped_max_ms: 5 });
  });

  it('spreads the written ones over a steady load: one in stride, from the last window rate', () => {
    const sampler = new TimingSampler(100, 0);
    offer(sampler, 5000);
    sampler.roll(1000);
    const admitted: number[] = [];
    for (let i = 0; i < 5000; i += 1) if (sampler.admit(1, false)) admitted.push(i);
    expect(admitted).toHaveLength(100);
    expect(admitted[0]).toBe(49);
    expect(admitted[99]).toBe(4999);
  });

  it('always writes the entries to keep (failed, slow), beyond the cap too', () => {
    const sampler = new TimingSampler(10, 0);
    const keep = (i: number) => i % 100 === 0;
    expect(offer(sampler, 1000, keep)).toBe(10 + 10 - 1);
    expect(sampler.roll(1000)?.skipped).toBe(1000 - 19);
  });

  it('writes every entry again once the load falls, and counts an idle stretch as slow', () => {
    const sampler = new TimingSampler(100, 0);
    offer(sampler, 5000);
    sampler.roll(1000);
    offer(sampler, 3000);
    sampler.roll(31_000);
    expect(offer(sampler, 100)).toBe(100);
  });
});
