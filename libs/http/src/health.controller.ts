import { Public } from '@cliffracer/auth';
import { NatsServerRef } from '@cliffracer/nats-transport';
import { Controller, Get, Inject, Logger, Optional, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult, type HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { CircuitsHealthIndicator } from './circuits.health-indicator.js';
import { DatabaseHealthIndicator } from './database.health-indicator.js';
import { HTTP_FRONT_DOOR_OPTIONS, type NormalizedHttpFrontDoorOptions } from './http-front-door.options.js';
import { MESSAGES } from './http-front-door.messages.js';
import { MetricsService } from './metrics.service.js';
import { NatsHealthIndicator } from './nats.health-indicator.js';
import { ShutdownState } from './shutdown.state.js';

/** Who answered: the service, and its instance when the options name it. */
interface Identity {
  service: string;
  instance?: string;
}

/**
 * Health in Kubernetes terms. Liveness (`/health/live`, and `/health` as its alias): 200 while
 * the process runs and its event loop turns, shutdown included. Readiness (`/health/ready`):
 * terminus's JSON, 200 only while the service can take work (NATS transport listening on a
 * live connection, database answering, not shutting down), 503 otherwise; open circuits to
 * other services are listed (`circuits`) without failing it.
 * `/health/detailed`: the readiness checks and the service's figures, with the same status.
 */
@Public()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  private readonly startedAt = Date.now();
  private wasReady?: boolean;

  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(NatsHealthIndicator) private readonly nats: NatsHealthIndicator,
    @Inject(DatabaseHealthIndicator) private readonly database: DatabaseHealthIndicator,
    @Inject(ShutdownState) private readonly shutdown: ShutdownState,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(HTTP_FRONT_DOOR_OPTIONS) private readonly options: NormalizedHttpFrontDoorOptions,
    @Inject(CircuitsHealthIndicator) private readonly circuits: CircuitsHealthIndicator,
    @Optional() @Inject(NatsServerRef) private readonly serverRef?: NatsServerRef,
  ) {}

  /** Liveness, under the path the tools used before readiness existed. */
  @Get()
  alive(): Identity & { status: 'ok' } {
    return this.live();
  }

  @Get('live')
  live(): Identity & { status: 'ok' } {
    return { status: 'ok', ...this.identity() };
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult & Identity> {
    return this.run(this.readinessChecks());
  }

  @Get('detailed')
  @HealthCheck()
  detailed(): Promise<HealthCheckResult & Identity> {
    return this.run([...this.readinessChecks(), () => this.figures()]);
  }

  private readinessChecks(): HealthIndicatorFunction[] {
    return [
      () => this.lifecycle(),
      ...(this.nats.present ? [() => this.nats.check()] : []),
      ...(this.database.present ? [() => this.database.check()] : []),
      // Reported, never failing: see CircuitsHealthIndicator.
      ...(this.circuits.present ? [() => this.circuits.check()] : []),
    ];
  }

  private lifecycle() {
    const indicator = this.indicators.check('lifecycle');
    return this.shutdown.draining ? indicator.down({ message: MESSAGES.shuttingDown() }) : indicator.up();
  }

  private figures() {
    return this.indicators.check('service').up({
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      handlers: this.serverRef?.attached ? this.serverRef.get().describeRoutes().length : 0,
      traffic: this.metrics.traffic.snapshot(),
    });
  }

  // Terminus answers a failed check by throwing 503 with its result; both get who answered.
  private async run(checks: HealthIndicatorFunction[]): Promise<HealthCheckResult & Identity> {
    try {
      const result = await this.health.check(checks);
      this.note(result);
      return { status: result.status, ...this.identity(), info: result.info, error: result.error, details: result.details };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      this.note(result);
      throw new ServiceUnavailableException({ status: result.status, ...this.identity(), info: result.info, error: result.error, details: result.details }, { cause: error });
    }
  }

  // Probes ask every few seconds: only a change of readiness is logged.
  private note(result: HealthCheckResult): void {
    const ready = result.status === 'ok';
    if (ready === this.wasReady) return;
    this.wasReady = ready;
    if (ready) this.logger.log('ready');
    else this.logger.warn(`not ready: ${Object.entries(result.error ?? {}).map(([key, value]) => `${key} (${String(value?.message ?? 'down')})`).join(', ') || result.status}`);
  }

  private identity(): Identity {
    return this.options.instance === undefined ? { service: this.options.service } : { service: this.options.service, instance: this.options.instance };
  }
}
