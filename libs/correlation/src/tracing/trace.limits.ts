/** Limits on the trace headers a message or request brings in (`traceparent`, `tracestate`). */
export interface TraceHeaderLimits {
  /**
   * Longest value a propagator is given, repeated values joined; a longer one is ignored, as
   * if absent. A W3C `traceparent` is 55 characters; a `tracestate` over 512 may be dropped
   * by any hop (W3C Trace Context, "Tracestate Limits").
   */
  readonly maxValueLength: number;
}

export const TRACE_HEADER_LIMITS: TraceHeaderLimits = { maxValueLength: 512 };
