import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HttpErrorsInterceptor } from './http-errors.interceptor.js';
import { HealthController } from './health.controller.js';
import { HTTP_FRONT_DOOR_OPTIONS, type HttpFrontDoorModuleOptions } from './http-front-door.options.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/**
 * Health and metrics of a service over HTTP: `/health`, `/health/detailed` and `/metrics`,
 * and errors of routes answered with the status they mean (`HttpErrorsInterceptor`).
 * Pair it with `setupHttpFrontDoor(app)`, which opens the correlation context of each request
 * and times it.
 *
 * @example
 * @Module({ imports: [HttpFrontDoorModule.forRoot({ service: 'gateway' })] })
 */
@Module({})
export class HttpFrontDoorModule {
  static forRoot(options: HttpFrontDoorModuleOptions): DynamicModule {
    return {
      module: HttpFrontDoorModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: HTTP_FRONT_DOOR_OPTIONS, useValue: options },
        { provide: MetricsService, useFactory: () => new MetricsService(options.service) },
        { provide: APP_INTERCEPTOR, useClass: HttpErrorsInterceptor },
      ],
      exports: [MetricsService],
    };
  }
}
