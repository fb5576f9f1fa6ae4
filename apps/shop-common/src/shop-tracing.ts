import { InvalidOptionsError } from '@cliffracer/common';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { SpanLineExporter } from './span-line.exporter.js';

/** What `OTEL_TRACES_EXPORTER` may name. */
const EXPORTERS = ['none', 'console', 'otlp'] as const;

/** A registered OpenTelemetry SDK; `shutdown` sends what is still buffered. */
export interface ShopTracing {
  shutdown(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK when the environment asks for traces, so the Cliffracer
 * libraries (which use only `@opentelemetry/api`) record spans:
 * - `OTEL_TRACES_EXPORTER`: `console` (one JSON line per span on stdout, beside the logs),
 *   `otlp` (OTLP over HTTP, batched) or `none` (the default: no SDK, no span work at all);
 * - `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`) and the other
 *   `OTEL_EXPORTER_OTLP_*` variables, read by the OTLP exporter itself;
 * - `OTEL_SERVICE_NAME`: the `service.name` of the spans (default: the shop service's name).
 * Returns `undefined` when no exporter is asked for; throws `InvalidOptionsError` for an
 * exporter it does not know.
 */
export function startShopTracing(service: string, env: NodeJS.ProcessEnv = process.env): ShopTracing | undefined {
  const exporter = (env.OTEL_TRACES_EXPORTER ?? 'none').trim().toLowerCase();
  if (!(EXPORTERS as readonly string[]).includes(exporter)) {
    throw new InvalidOptionsError('ShopTracing', `OTEL_TRACES_EXPORTER must be one of ${EXPORTERS.join(', ')}: got "${exporter}"`);
  }
  if (exporter === 'none') return undefined;
  // Console spans are written as they end, so none is lost at exit; OTLP ones are sent in batches.
  const processor: SpanProcessor = exporter === 'console' ? new SimpleSpanProcessor(new SpanLineExporter()) : new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service }),
    spanProcessors: [processor],
  });
  // Also sets the async-hooks context manager and the W3C trace-context propagator.
  provider.register();
  return { shutdown: () => provider.shutdown() };
}
