import { describe, expect, it } from '@jest/globals';
import { LabelValues, OTHER_LABEL_VALUE } from './label-values.js';

describe('LabelValues', () => {
  it('keeps the first values and reads any later new one as other', () => {
    const values = new LabelValues(2);
    expect(['a', 'b', 'c', 'a', 'b', 'd'].map((value) => values.of(value))).toEqual(['a', 'b', OTHER_LABEL_VALUE, 'a', 'b', OTHER_LABEL_VALUE]);
  });

  it('reads a value longer than the limit as other without keeping it', () => {
    const values = new LabelValues(2, 5);
    expect(values.of('x'.repeat(6))).toBe(OTHER_LABEL_VALUE);
    expect([values.of('a'), values.of('b')]).toEqual(['a', 'b']);
  });

  it('holds a flood of distinct values to the cap', () => {
    const values = new LabelValues(100);
    const seen = new Set(Array.from({ length: 100_000 }, (_, i) => values.of(`CODE_${i}`)));
    expect(seen.size).toBe(101);
  });
});
