import { shopServiceConfig, type ShopServiceConfig } from '@cliffracer-sample/shop-common';

/** The notifications service's configuration from the environment (see `shopServiceConfig`); HTTP port 8501. */
export function notificationsConfig(env: NodeJS.ProcessEnv = process.env): ShopServiceConfig {
  return shopServiceConfig('notifications', { defaultPort: 8501, auth: true, description: 'Tells customers what happened to their orders' }, env);
}
