import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Inject, Injectable } from '@nestjs/common';
import { NotReadyError } from './errors/not-ready.error.js';
import { HTTP_FRONT_DOOR_OPTIONS, type NormalizedHttpFrontDoorOptions } from './http-front-door.options.js';
import { MESSAGES } from './http-front-door.messages.js';

/**
 * Readiness of the service's database, through the app's `pingDatabase`: up when it answers
 * within `databaseTimeoutMs`. A check that hangs is cut off at the limit, so the probe is
 * answered in time.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
    @Inject(HTTP_FRONT_DOOR_OPTIONS) private readonly options: NormalizedHttpFrontDoorOptions,
  ) {}

  /** Whether the app gave a database check. */
  get present(): boolean {
    return this.options.pingDatabase !== undefined;
  }

  async check(key = 'database'): Promise<HealthIndicatorResult> {
    const { pingDatabase, databaseTimeoutMs: timeoutMs } = this.options;
    return this.health
      .check(key)
      .attempt(async ({ signal }) => {
        if (pingDatabase === undefined) throw new NotReadyError(key, MESSAGES.noDatabaseCheck());
        if ((await pingDatabase({ timeoutMs, signal })) === false) throw new NotReadyError(key, MESSAGES.databaseDidNotAnswer());
      })
      .withTimeout(timeoutMs);
  }
}
