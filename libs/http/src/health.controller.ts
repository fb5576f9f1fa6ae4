import { Public } from '@cliffracer/auth';
import { NatsClient, NatsServerRef, TransportError, withDeadline } from '@cliffracer/nats-transport';
import { DatabaseConnection } from '@cliffracer/secure-repository';
import { Controller, Get, Inject, Optional } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { HTTP_FRONT_DOOR_OPTIONS, type HttpFrontDoorModuleOptions } from './http-front-door.options.js';
import { MetricsService } from './metrics.service.js';

const NATS_PING_TIMEOUT_MS = 1000;

/** `/health` (liveness) and `/health/detailed` (NATS, database, handlers, uptime, traffic). */
@Public()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(HTTP_FRONT_DOOR_OPTIONS) private readonly options: HttpFrontDoorModuleOptions,
    @Optional() @Inject(NatsClient) private readonly client?: NatsClient,
    @Optional() @Inject(NatsServerRef) private readonly serverRef?: NatsServerRef,
    @Optional() @Inject(DatabaseConnection) private readonly database?: DatabaseConnection,
  ) {}

  @Get()
  live() {
    return { status: 'ok', service: this.options.service, ...this.instance() };
  }

  @Get('detailed')
  async detailed() {
    const [nats, database] = await Promise.all([this.natsHealth(), this.databaseHealth()]);
    const healthy = nats.connected && database !== 'unreachable';
    return {
      status: healthy ? 'ok' : 'degraded',
      service: this.options.service,
      ...this.instance(),
      uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000),
      nats,
      database,
      handlers: this.serverRef?.attached ? this.serverRef.get().describeRoutes().length : 0,
      traffic: this.metrics.traffic.snapshot(),
    };
  }

  private instance(): { instance?: string } {
    return this.options.instance === undefined ? {} : { instance: this.options.instance };
  }

  // A PING/PONG round trip: connected means the server answers now.
  private async natsHealth(): Promise<{ connected: boolean; server?: string }> {
    if (this.client === undefined) return { connected: false };
    try {
      const nc = await this.client.connect();
      const ms = NATS_PING_TIMEOUT_MS;
      await withDeadline((nc as NatsConnection).flush(), ms, () => new TransportError(`NATS did not answer a ping within ${ms}ms`));
      return { connected: true, server: nc.getServer() };
    } catch {
      return { connected: false };
    }
  }

  private async databaseHealth(): Promise<'reachable' | 'unreachable' | 'not configured'> {
    if (this.database === undefined) return 'not configured';
    return (await this.database.ping()) ? 'reachable' : 'unreachable';
  }
}
