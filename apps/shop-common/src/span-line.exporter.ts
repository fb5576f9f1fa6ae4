import { type ExportResult, ExportResultCode, hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';

/**
 * Writes each finished span as one JSON line, beside the service's log lines and in their
 * shape (`{ ts, level, category, msg, ...fields }`): the SDK's console exporter prints a
 * multi-line object per span, which no line-reading tool can follow.
 */
export class SpanLineExporter implements SpanExporter {
  constructor(private readonly write: (line: string) => void = (line) => void process.stdout.write(line)) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    for (const span of spans) this.write(`${JSON.stringify(lineOf(span))}\n`);
    done({ code: ExportResultCode.SUCCESS });
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function lineOf(span: ReadableSpan): Record<string, unknown> {
  const { traceId, spanId } = span.spanContext();
  return {
    ts: new Date(hrTimeToMilliseconds(span.startTime)).toISOString(),
    level: span.status.code === SpanStatusCode.ERROR ? 'error' : 'info',
    category: 'trace',
    msg: 'span',
    service: span.resource.attributes['service.name'],
    name: span.name,
    kind: SpanKind[span.kind],
    traceId,
    spanId,
    parentId: span.parentSpanContext?.spanId,
    durationMs: Math.round(hrTimeToMilliseconds(span.duration) * 10) / 10,
    ...(span.status.code === SpanStatusCode.ERROR && { status: span.status.message ?? 'ERROR' }),
    attributes: span.attributes,
  };
}
