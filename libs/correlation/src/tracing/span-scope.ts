import { type Context, context, type Span, trace } from '@opentelemetry/api';
import { endSpan, failureOf, type SpanFailure } from './span-outcome.js';

/**
 * Runs `work` with `span` active (a child of `parent`), so every call, event and span it
 * starts belongs to it, and ends the span when the work settles: a rejection marks it failed,
 * as does a result `failureOfResult` names a failure. Returns the work's own promise.
 */
export function runInSpan<T>(span: Span, parent: Context, work: () => Promise<T>, failureOfResult?: (result: T) => SpanFailure | undefined): Promise<T> {
  let running: Promise<T>;
  try {
    running = context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    endSpan(span, failureOf(error));
    throw error;
  }
  running.then(
    (result) => endSpan(span, failureOfResult?.(result)),
    (error: unknown) => endSpan(span, failureOf(error)),
  );
  return running;
}
