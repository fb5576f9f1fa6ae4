import { type ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { type Observable, throwError } from 'rxjs';
import { INTERNAL_ERROR_CODE, toWireError, type WireError } from './wire/wire-error.js';

/**
 * Turns any error thrown in an RPC or event handler (or by a guard, pipe or interceptor)
 * into its wire form `{ name, message, code, data }`, so callers get a typed error back.
 * Errors it does not know stay on the server: logged with their stack, sent as
 * `InternalError`. Other contexts (HTTP in a hybrid app) get Nest's default handling.
 *
 * `NatsTransportModule` registers it globally; hybrid apps connect the transport with
 * `{ inheritAppConfig: true }` so it applies there too.
 */
@Catch()
export class RpcErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('RpcExceptionsHandler');

  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() !== 'rpc') return super.catch(exception, host);
    const wire: WireError = toWireError(exception);
    if (wire.code === INTERNAL_ERROR_CODE) {
      const error = exception as Error;
      this.logger.error(error?.message ?? String(exception), error?.stack);
    }
    return throwError(() => wire);
  }
}
