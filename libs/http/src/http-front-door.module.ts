import { AuthFailures } from '@cliffracer/auth';
import { ServiceMetrics } from '@cliffracer/metrics';
import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { CircuitsHealthIndicator } from './circuits.health-indicator.js';
import { DatabaseHealthIndicator } from './database.health-indicator.js';
import { HealthController } from './health.controller.js';
import { HttpErrorsInterceptor } from './http-errors.interceptor.js';
import { HTTP_FRONT_DOOR_MODULE_OPTIONS, HttpFrontDoorConfigurableModule } from './http-front-door.module-definition.js';
import { HTTP_FRONT_DOOR_OPTIONS, type HttpFrontDoorModuleOptions, type NormalizedHttpFrontDoorOptions, normalizeHttpFrontDoorOptions } from './http-front-door.options.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { NatsHealthIndicator } from './nats.health-indicator.js';
import { ShutdownState } from './shutdown.state.js';

/**
 * Health and metrics of a service over HTTP: liveness (`/health/live`, `/health`), readiness
 * (`/health/ready`), `/health/detailed` and `/metrics`, and errors of routes answered with the
 * status they mean (`HttpErrorsInterceptor`). Readiness turns off as soon as the app starts
 * shutting down, and the app's `NatsServer` drains while HTTP still answers. Pair it with
 * `setupHttpFrontDoor(app)`, which opens the correlation context of each request and times it.
 * Global by default (`isGlobal: false` to scope it).
 *
 * @example
 * HttpFrontDoorModule.forRoot({ service: 'gateway', instance: 'gateway-0' })
 * HttpFrontDoorModule.forRootAsync({
 *   inject: [DatabaseConnection],
 *   useFactory: (db: DatabaseConnection) => ({ service: 'orders', pingDatabase: () => db.ping() }),
 * })
 */
@Module({
  // Readiness failures are answered in the 503 body and logged once per change by the controller.
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [
    {
      provide: HTTP_FRONT_DOOR_OPTIONS,
      inject: [HTTP_FRONT_DOOR_MODULE_OPTIONS],
      useFactory: (options: HttpFrontDoorModuleOptions) => normalizeHttpFrontDoorOptions(options),
    },
    {
      provide: MetricsService,
      inject: [HTTP_FRONT_DOOR_OPTIONS, { token: AuthFailures, optional: true }],
      useFactory: (options: NormalizedHttpFrontDoorOptions, auth?: AuthFailures) => {
        const metrics = new MetricsService(options.service);
        if (auth !== undefined) metrics.countAuthFailures(auth);
        return metrics;
      },
    },
    // Code that adds its own metrics asks for ServiceMetrics, whichever door serves them.
    { provide: ServiceMetrics, useExisting: MetricsService },
    { provide: APP_INTERCEPTOR, useClass: HttpErrorsInterceptor },
    NatsHealthIndicator,
    DatabaseHealthIndicator,
    CircuitsHealthIndicator,
    ShutdownState,
  ],
  exports: [MetricsService, ServiceMetrics],
})
export class HttpFrontDoorModule extends HttpFrontDoorConfigurableModule {}
