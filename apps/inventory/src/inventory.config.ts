import { shopServiceConfig, type ShopServiceConfig } from '@cliffracer-sample/shop-common';

/** The inventory's configuration from the environment (see `shopServiceConfig`); HTTP port 8401. */
export function inventoryConfig(env: NodeJS.ProcessEnv = process.env): ShopServiceConfig {
  return shopServiceConfig('inventory', { defaultPort: 8401, description: 'Keeps stock and reserves it for orders' }, env);
}
