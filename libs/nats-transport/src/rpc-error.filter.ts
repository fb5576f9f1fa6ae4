import { type ArgumentsHost, Catch, Inject, Logger, Optional } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { NatsContext } from '@nestjs/microservices';
import { type Observable, throwError } from 'rxjs';
import type { ErrorClass } from './interfaces/error-class.interface.js';
import type { NatsTransportModuleOptions } from './interfaces/nats-transport-options.interface.js';
import { NATS_TRANSPORT_OPTIONS } from './nats-transport.module-definition.js';
import { logInternalFailure } from './wire/internal-failure.log.js';
import { INTERNAL_ERROR_CODE, isConvertedWireError, toWireError, type WireError } from './wire/wire-error.js';

/**
 * Turns any error thrown in an RPC or event handler (or by a guard, pipe or interceptor)
 * into its wire form `{ name, message, code, data }`, so callers get a typed error back.
 * Only errors meant for callers keep their message (see `toWireError`); the rest stay on the
 * server: logged once with stack and correlation ID, sent as `InternalError`. Other contexts
 * (HTTP in a hybrid app) get Nest's default handling.
 *
 * `NatsTransportModule` registers it globally; hybrid apps connect the transport with
 * `{ inheritAppConfig: true }` so it applies there too.
 */
@Catch()
export class RpcErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('RpcExceptionsHandler');
  private readonly registered: readonly ErrorClass[];

  constructor(@Optional() @Inject(NATS_TRANSPORT_OPTIONS) options?: NatsTransportModuleOptions) {
    super();
    this.registered = options?.errors ?? [];
  }

  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() !== 'rpc') return super.catch(exception, host);
    const wire: WireError = toWireError(exception, this.registered);
    if (wire.code === INTERNAL_ERROR_CODE && !isConvertedWireError(exception)) {
      const subject = host.switchToRpc().getContext<NatsContext | undefined>()?.getSubject?.() ?? 'unknown subject';
      logInternalFailure(this.logger, 'handler', subject, exception);
    }
    return throwError(() => wire);
  }
}
