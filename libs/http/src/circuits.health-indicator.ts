import { NatsClient } from '@cliffracer/nats-transport';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/**
 * Reports the app's circuits to other services (`NatsClient` with `circuitBreaker`): which are
 * open or probing. It never fails readiness: an open circuit means a dependency is down, not
 * this instance, and failing readiness for it would take every instance of the caller out of
 * the load balancer at once, turning one service's outage into a cascade, and turning away
 * the requests that do not need that dependency, or that would get a fast, typed error.
 */
@Injectable()
export class CircuitsHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
    @Optional() @Inject(NatsClient) private readonly client?: NatsClient,
  ) {}

  /** Whether the app's client has circuit breakers to report. */
  get present(): boolean {
    return this.client?.options.circuitBreaker !== undefined;
  }

  check(key = 'circuits'): HealthIndicatorResult {
    const states = Object.entries(this.client?.circuitStates() ?? {});
    return this.health.check(key).up({
      open: states.filter(([, state]) => state === 'open').map(([service]) => service),
      halfOpen: states.filter(([, state]) => state === 'half-open').map(([service]) => service),
    });
  }
}
