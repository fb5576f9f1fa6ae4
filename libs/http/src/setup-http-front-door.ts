import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { useHttpCorrelation } from './http-correlation.js';
import { MetricsService } from './metrics.service.js';

/**
 * Installs the HTTP hooks of a fastify app: the correlation context of each request (taken
 * from and returned in `X-Correlation-ID`), and its timing into the metrics.
 */
export function setupHttpFrontDoor(app: NestFastifyApplication): void {
  useHttpCorrelation(app);
  const metrics = app.get(MetricsService);
  app.getHttpAdapter().getInstance().addHook('onResponse', (request, reply, done) => {
    metrics.recordHttp(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
    done();
  });
}
