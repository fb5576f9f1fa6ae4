import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { boundedTraceValue } from './trace-header-value.js';
import { TRACE_HEADER_LIMITS } from './trace.limits.js';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('boundedTraceValue', () => {
  it('passes one value within the limit as it is', () => {
    expect(boundedTraceValue(PARENT)).toBe(PARENT);
    expect(boundedTraceValue([PARENT])).toBe(PARENT);
  });

  it('joins repeated values with a comma, as HTTP joins repeated fields', () => {
    expect(boundedTraceValue(['a=1', 'b=2'])).toBe('a=1,b=2');
  });

  it('drops an absent, empty-list or oversized value', () => {
    const limit = TRACE_HEADER_LIMITS.maxValueLength;
    expect(boundedTraceValue(undefined)).toBeUndefined();
    expect(boundedTraceValue([])).toBeUndefined();
    expect(boundedTraceValue('x'.repeat(limit + 1))).toBeUndefined();
    expect(boundedTraceValue(Array.from({ length: 100_000 }, () => PARENT))).toBeUndefined();
  });

  it('never returns more than the limit, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 2000 }), fc.array(fc.string({ maxLength: 300 }), { maxLength: 20 })), (values) => {
        const value = boundedTraceValue(values);
        expect(value === undefined || value.length <= TRACE_HEADER_LIMITS.maxValueLength).toBe(true);
      }),
    );
  });
});
