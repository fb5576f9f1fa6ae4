import { CorrelationContext } from '@cliffracer/correlation';
import { INTERNAL_ERROR_CODE, RPC_TRANSPARENT, statusOfWireError, toWireError } from '@cliffracer/nats-transport';
import { type CallHandler, type ExecutionContext, HttpException, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';

/** HTTP status of error codes a gateway meets calling services, beyond the wire's own. */
const GATEWAY_STATUS: Record<string, number> = {
  RPC_TIMEOUT: 504,
  NO_RESPONDERS: 503,
  TRANSPORT_ERROR: 503,
  [INTERNAL_ERROR_CODE]: 500,
};

/**
 * Turns what an HTTP route throws into an answer a client can use. Errors of the framework
 * and of called services become `{ statusCode, error, code, message, data, correlationId }`
 * with the status their code means: the wire's own (400, 401, 403, 404, 409, 429), 422 for a
 * business rule a service refused (out of stock), 504 for a timeout, 503 when no service
 * answers or the messaging itself failed (a durable event could not be stored). Unknown errors are logged and answered 500 without their message. Nest's HTTP
 * exceptions pass as they are. Other transports are left alone.
 */
@Injectable()
export class HttpErrorsInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HttpErrors');
  /** It leaves RPC messages alone: compiled handler pipelines of a hybrid service need not run it. */
  readonly [RPC_TRANSPARENT] = true;

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    return next.handle().pipe(catchError((error: unknown) => throwError(() => this.toHttp(error))));
  }

  private toHttp(error: unknown): unknown {
    if (error instanceof HttpException) return error;
    const wire = toWireError(error);
    if (wire.code === INTERNAL_ERROR_CODE) this.logger.error((error as Error)?.message ?? String(error), (error as Error)?.stack);
    const known = statusOfWireError(wire);
    const status = GATEWAY_STATUS[wire.code] ?? (known === 500 ? 422 : known);
    const body = {
      statusCode: status,
      error: (error as { remoteName?: string }).remoteName ?? wire.name,
      code: wire.code,
      message: wire.message,
      data: wire.data,
      correlationId: CorrelationContext.currentId(),
    };
    return new HttpException(body, status, { cause: error });
  }
}
