import { acceptCorrelationId, CorrelationContext } from '@cliffracer/correlation';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The HTTP header that carries the correlation ID in and out. */
export const HTTP_CORRELATION_HEADER = 'X-Correlation-ID';

/**
 * Opens the correlation context of every HTTP request before anything else runs (guards
 * included): the ID is taken from `X-Correlation-ID` when it is a valid one, else created,
 * and returned in the response's `X-Correlation-ID`. Every RPC, event and log line of the
 * request then carries it.
 */
export function useHttpCorrelation(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    const id = acceptCorrelationId(request.headers[HTTP_CORRELATION_HEADER.toLowerCase()] as string | undefined);
    void reply.header(HTTP_CORRELATION_HEADER, id);
    // The rest of the request's lifecycle runs inside the context.
    CorrelationContext.run(id, done);
  });
}
