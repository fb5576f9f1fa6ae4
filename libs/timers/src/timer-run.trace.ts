import { CORRELATION_ID_ATTRIBUTE, runInSpan } from '@cliffracer/correlation';
import { ROOT_CONTEXT, SpanKind, type Tracer } from '@opentelemetry/api';
import type { TimerMetadata } from './interfaces/timer-metadata.interface.js';

/** The instrumentation scope of the timers' spans. */
export const TIMERS_TRACER_NAME = '@cliffracer/timers';

/**
 * Runs one timer run inside its own span, the root of a new trace (a run continues nothing),
 * so every call and event the handler makes is its child. The span fails with the error the
 * run throws.
 */
export function traceTimerRun<T>(tracer: Tracer, spec: TimerMetadata, correlationId: string, run: () => Promise<T>): Promise<T> {
  const attributes = {
    'cliffracer.timer.name': spec.name,
    'cliffracer.timer.interval_ms': spec.intervalMs,
    [CORRELATION_ID_ATTRIBUTE]: correlationId,
  };
  const span = tracer.startSpan(`timer ${spec.name}`, { kind: SpanKind.INTERNAL, root: true, attributes }, ROOT_CONTEXT);
  return runInSpan(span, ROOT_CONTEXT, run);
}
