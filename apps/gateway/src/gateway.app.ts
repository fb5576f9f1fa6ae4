import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createShopApp, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { GatewayModule } from './gateway.module.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './users/login-limits.js';

/**
 * The gateway as one app: fastify for HTTP and WebSocket, the NATS transport for its RPCs,
 * one set of guards, pipes and interceptors for all of them.
 */
export function createGatewayApp(
  config: ShopServiceConfig,
  options: { logger?: LoggerService | false; login?: LoginLimits } = {},
): Promise<NestFastifyApplication> {
  return createShopApp(GatewayModule.forRoot(config, options.login ?? DEFAULT_LOGIN_LIMITS), config, { logger: options.logger, websockets: true });
}
