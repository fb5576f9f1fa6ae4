import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createShopApp, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { GatewayModule } from './gateway.module.js';

/**
 * The gateway as one app: fastify for HTTP and WebSocket, the NATS transport for its RPCs,
 * one set of guards, pipes and interceptors for all of them.
 */
export function createGatewayApp(config: ShopServiceConfig, options: { logger?: LoggerService | false } = {}): Promise<NestFastifyApplication> {
  return createShopApp(GatewayModule.forRoot(config), config, { ...options, websockets: true });
}
