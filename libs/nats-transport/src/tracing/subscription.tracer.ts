import { CORRELATION_ID_HEADER, endSpan, failureOf, isValidCorrelationId, SdkTracer } from '@cliffracer/correlation';
import type { Msg, MsgHdrs } from '@nats-io/transport-node';
import { type Context, context, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { MessagingOperation, messagingAttributes, NATS_TRACER_NAME } from './messaging-attributes.js';
import { natsTraceGetter } from './nats-trace-carrier.js';

/** The W3C trace fields (`traceparent`, and `tracestate` when there is one) to pass a trace on with. */
export type TraceFields = Readonly<Record<string, string>>;

const NO_FIELDS: TraceFields = Object.freeze({});

/**
 * Traces messages an app takes from a NATS subscription of its own (`nc.subscribe`) rather than
 * through `@Event`, such as a gateway forwarding events to WebSocket clients: each one is
 * handled in a CONSUMER span `process <subject>` continuing the publisher's trace (its
 * `traceparent`/`tracestate` headers, bounded as everywhere; a new trace when they are absent,
 * malformed or undecodable), and the work gets that span's trace fields to hand on, so whoever
 * receives what it sends can join the trace. Without an OpenTelemetry SDK it runs the work
 * with no fields and no span: one lookup per message.
 *
 * @example
 * nc.subscribe(subject, { callback: (error, msg) => tracer.run(msg, (trace) => push({ ...frame, ...trace })) });
 */
export class SubscriptionTracer {
  private readonly tracer = new SdkTracer(NATS_TRACER_NAME);

  /**
   * Runs `work` for `msg` inside its span, which ends when `work` returns (or throws: the span
   * then fails and the error goes on). Work it leaves running outlives the span.
   */
  run<T>(msg: Msg, work: (trace: TraceFields) => T): T {
    const tracer = this.tracer.current();
    if (tracer === undefined) return work(NO_FIELDS);
    const headers = headersOf(msg);
    const parent: Context = propagation.extract(ROOT_CONTEXT, headers, natsTraceGetter);
    const correlationId = correlationIdOf(headers);
    const attributes = { ...messagingAttributes(msg.subject, MessagingOperation.process, 'process', correlationId), 'messaging.message.body.size': msg.data.length };
    const span = tracer.startSpan(`process ${msg.subject}`, { kind: SpanKind.CONSUMER, attributes }, parent);
    const current = trace.setSpan(parent, span);
    const fields: Record<string, string> = {};
    propagation.inject(current, fields);
    let result: T;
    try {
      result = context.with(current, () => work(fields));
    } catch (error) {
      endSpan(span, failureOf(error));
      throw error;
    }
    endSpan(span);
    return result;
  }
}

// nats.js decodes headers on first read and throws on a malformed block: such a message starts a new trace.
function headersOf(msg: Msg): MsgHdrs | undefined {
  try {
    return msg.headers;
  } catch {
    return undefined;
  }
}

function correlationIdOf(headers: MsgHdrs | undefined): string | undefined {
  try {
    const id = headers?.get(CORRELATION_ID_HEADER);
    return isValidCorrelationId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
