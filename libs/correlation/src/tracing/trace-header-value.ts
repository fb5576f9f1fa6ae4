import { TRACE_HEADER_LIMITS } from './trace.limits.js';

/**
 * A trace header's value as a propagator may read it: repeated values joined with `,` (as
 * HTTP joins repeated fields, which makes two `traceparent`s invalid and two `tracestate`s
 * one list), or `undefined` when absent or longer than `TRACE_HEADER_LIMITS.maxValueLength`.
 * The length is checked before anything is joined or parsed, so a flood of values costs
 * nothing more than counting them.
 */
export function boundedTraceValue(values: string | readonly string[] | undefined): string | undefined {
  const { maxValueLength } = TRACE_HEADER_LIMITS;
  if (values === undefined || typeof values === 'string') return values !== undefined && values.length <= maxValueLength ? values : undefined;
  let length = values.length - 1;
  for (const value of values) {
    length += value.length;
    if (length > maxValueLength) return undefined;
  }
  return values.length === 0 ? undefined : values.join(',');
}
