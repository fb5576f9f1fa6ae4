import { CorrelationContext, SdkTracer } from '@cliffracer/correlation';
import { context } from '@opentelemetry/api';
import { NATS_TRACER_NAME } from './tracing/messaging-attributes.js';

const tracer = new SdkTracer(NATS_TRACER_NAME);

/** Runs a function in the context a message arrived in. */
export type InMessageContext = <T>(fn: () => T) => T;

/**
 * Captures the current message's context (its correlation context and, with an OpenTelemetry
 * SDK, its trace context) for work that starts later, after waiting in a queue: it then runs
 * as its own message, not as the one whose end freed the slot.
 */
export function captureMessageContext(): InMessageContext {
  const inCorrelation = CorrelationContext.capture();
  if (tracer.current() === undefined) return inCorrelation;
  const active = context.active();
  return (fn) => context.with(active, () => inCorrelation(fn));
}
