import { type PayloadLimits, resolvePayloadLimits } from '@cliffracer/nats-transport';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { limitHttpBodies } from './http-body-limits.js';
import { useHttpCorrelation } from './http-correlation.js';
import { useHttpTracing } from './http-tracing.js';
import { MetricsService } from './metrics.service.js';
import { ShutdownState } from './shutdown.state.js';

/**
 * Installs the HTTP hooks of a fastify app: the correlation context of each request (taken
 * from and returned in `X-Correlation-ID`), its span when an OpenTelemetry SDK is registered
 * (`useHttpTracing`), its timing into the metrics, and readiness off
 * as soon as `app.close()` begins; and JSON and form bodies held to the payload limits (the
 * NATS transport's defaults unless `payloadLimits` says otherwise) before any pipe sees them.
 * Call it before `app.init()` / `listen()`.
 */
export function setupHttpFrontDoor(app: NestFastifyApplication, options: { payloadLimits?: Partial<PayloadLimits> } = {}): void {
  useHttpCorrelation(app);
  useHttpTracing(app);
  limitHttpBodies(app, resolvePayloadLimits('HttpFrontDoor', options.payloadLimits));
  const metrics = app.get(MetricsService);
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    metrics.recordHttp(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
    done();
  });
  turnReadinessOffOnClose(app);
}

// `app.close()` calls the HTTP adapter's `beforeClose()` before any lifecycle hook, so
// readiness is off before the first module starts its teardown.
function turnReadinessOffOnClose(app: NestFastifyApplication): void {
  const state = app.get(ShutdownState);
  const adapter = app.getHttpAdapter();
  const beforeClose = adapter.beforeClose?.bind(adapter);
  adapter.beforeClose = () => {
    state.begin();
    return beforeClose?.();
  };
}
