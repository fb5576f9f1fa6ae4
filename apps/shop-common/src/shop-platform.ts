import { AuthModule } from '@cliffracer/auth';
import { BackdoorModule } from '@cliffracer/backdoor';
import { DebugLoggerModule } from '@cliffracer/debug-logger';
import { HttpFrontDoorModule } from '@cliffracer/http';
import { NatsTransportModule } from '@cliffracer/nats-transport';
import { DatabaseConnection } from '@cliffracer/secure-repository';
import type { DynamicModule } from '@nestjs/common';
import type { ShopServiceConfig } from './shop-config.js';

/**
 * The framework modules every service of the shop runs with: the NATS transport, the debug
 * logger, a backdoor, health (readiness with the database when there is one) and metrics over
 * HTTP, and token checks when configured.
 */
export function shopPlatform(config: ShopServiceConfig): DynamicModule[] {
  return [
    NatsTransportModule.forRoot(config.nats),
    DebugLoggerModule.forRoot(config.debug),
    BackdoorModule.forRoot(config.backdoor),
    // Readiness pings the service's database when it has one (SecureRepositoryModule is global).
    HttpFrontDoorModule.forRootAsync({
      inject: [{ token: DatabaseConnection, optional: true }],
      useFactory: (database?: DatabaseConnection) => ({
        service: config.nats.service,
        instance: config.instance,
        ...(database !== undefined && { pingDatabase: ({ timeoutMs }) => database.ping(timeoutMs) }),
      }),
    }),
    ...(config.auth === undefined ? [] : [AuthModule.forRoot(config.auth)]),
  ];
}
