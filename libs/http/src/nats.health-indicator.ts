import { NatsClient, NatsServerRef, NatsStatus } from '@cliffracer/nats-transport';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Observable } from 'rxjs';
import { HTTP_FRONT_DOOR_OPTIONS, type NormalizedHttpFrontDoorOptions } from './http-front-door.options.js';

/**
 * Readiness of the service's NATS side. With a `NatsServer` attached (`createHttpService`),
 * it is up when the transport listens (every subscription known to the server), its
 * connection is neither down, reconnecting nor closed, and the server answers a PING within
 * `natsTimeoutMs` (a connection whose reader died answers none). Without one, the app's
 * `NatsClient` must connect and answer the PING.
 */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly health: HealthIndicatorService,
    @Inject(HTTP_FRONT_DOOR_OPTIONS) private readonly options: NormalizedHttpFrontDoorOptions,
    @Optional() @Inject(NatsServerRef) private readonly serverRef?: NatsServerRef,
    @Optional() @Inject(NatsClient) private readonly client?: NatsClient,
  ) {}

  /** Whether the app has a NATS side to check at all. */
  get present(): boolean {
    return this.serverRef !== undefined || this.client !== undefined;
  }

  async check(key = 'nats'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const timeoutMs = this.options.natsTimeoutMs;
    if (this.serverRef?.attached) {
      const server = this.serverRef.get();
      const status = latest(server.status);
      // Reported once `listen()` has flushed its subscriptions, and again on every change.
      if (status !== NatsStatus.CONNECTED) return indicator.down({ message: status === undefined ? 'the NATS transport is not listening yet' : `the NATS connection is ${status}` });
      return indicator.attempt(() => roundTrip(server.unwrap<NatsConnection>())).withTimeout(timeoutMs);
    }
    const client = this.client;
    if (client === undefined) return indicator.down({ message: 'no NATS transport or client in the app' });
    return indicator.attempt(async () => ({ ...(await roundTrip(await client.connect())), via: 'client' })).withTimeout(timeoutMs);
  }
}

// A PING the server must answer: only then is the connection known to work now. The answer
// names no server: readiness is asked through public load balancers too, and the address of
// NATS inside the network is no business of theirs.
async function roundTrip(nc: NatsConnection): Promise<Record<string, never>> {
  await nc.flush();
  return {};
}

// A transport's `status` replays its last value at once (a ReplaySubject of one), so
// subscribing and leaving reads the current state without a subscription to keep.
function latest<T>(source: Observable<T>): T | undefined {
  let value: T | undefined;
  source.subscribe((next) => (value = next)).unsubscribe();
  return value;
}
