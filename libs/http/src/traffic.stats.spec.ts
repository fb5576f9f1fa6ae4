import { describe, expect, it } from '@jest/globals';
import { TrafficStats } from './traffic.stats.js';

describe('TrafficStats', () => {
  describe('snapshot', () => {
    it('has no percentiles before any traffic', () => {
      expect(new TrafficStats(() => 0).snapshot()).toEqual({ handled: 0, failed: 0, ratePerSecond: 0, p50Ms: null, p99Ms: null });
    });

    it('counts failures, gives nearest-rank p50 and p99, and the rate over the last minute', () => {
      let now = 0;
      const stats = new TrafficStats(() => now);
      for (let i = 1; i <= 100; i += 1) stats.record(i, i % 10 === 0);
      now = 30_000;
      for (let i = 0; i < 20; i += 1) stats.record(1.23456, false);
      now = 70_000;
      // Only the 20 records of t=30s fall within the last minute.
      expect(stats.snapshot()).toEqual({ handled: 120, failed: 10, ratePerSecond: 0.33, p50Ms: 40, p99Ms: 99 });
    });
  });
});
