import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { waitUntil } from '@cliffracer/testing';

/** An OpenTelemetry SDK registered in the test process, keeping every finished span in memory. */
export interface TraceRecording {
  spans(): ReadableSpan[];
  /** Resolves the finished spans once `done` holds for them. */
  waitFor(done: (spans: ReadableSpan[]) => boolean, timeoutMs?: number): Promise<ReadableSpan[]>;
  /** Runs `work` inside a root span of the test's own and resolves its trace ID. */
  inSpan(name: string, work: () => Promise<unknown>): Promise<string>;
  /** Unregisters the SDK: the API is a no-op again. */
  stop(): Promise<void>;
}

/**
 * Registers what an app's SDK setup registers (a tracer provider, the async-hooks context
 * manager, the W3C trace-context propagator), exporting into memory.
 */
export function startTraceRecording(): TraceRecording {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const spans = () => exporter.getFinishedSpans();
  return {
    spans,
    async waitFor(done, timeoutMs = 10_000) {
      await waitUntil(() => done(spans()), timeoutMs);
      return spans();
    },
    inSpan(name, work) {
      return trace.getTracer('test').startActiveSpan(name, async (span) => {
        try {
          await work();
        } finally {
          span.end();
        }
        return span.spanContext().traceId;
      });
    },
    async stop() {
      trace.disable();
      context.disable();
      propagation.disable();
      await provider.shutdown();
    },
  };
}

/** The one span named `name`; fails the test when there is none or more than one. */
export function only(spans: ReadableSpan[], name: string, where: (span: ReadableSpan) => boolean = () => true): ReadableSpan {
  const found = spans.filter((span) => span.name === name && where(span));
  if (found.length !== 1) throw new Error(`expected one span "${name}", found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

/** The span's parent span ID, `undefined` for a root. */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

export function idOf(span: ReadableSpan): string {
  return span.spanContext().spanId;
}

export function traceOf(span: ReadableSpan): string {
  return span.spanContext().traceId;
}
