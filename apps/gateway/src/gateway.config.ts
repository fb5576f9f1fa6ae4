import { shopServiceConfig, type ShopServiceConfig } from '@cliffracer-sample/shop-common';

/** The gateway's configuration from the environment (see `shopServiceConfig`; HTTP port 3000, `JWT_SECRET` required). */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): ShopServiceConfig {
  return shopServiceConfig('gateway', { defaultPort: 3000, auth: true, description: 'HTTP and WebSocket door of the shop' }, env);
}
