import { shopServiceConfig, type ShopServiceConfig } from '../../shop-common/src/index.js';

/** The notifications service's configuration from the environment (see `shopServiceConfig`); HTTP port 8501. */
export function notificationsConfig(env: NodeJS.ProcessEnv = process.env): ShopServiceConfig {
  return shopServiceConfig('notifications', { defaultPort: 8501, auth: true }, env);
}
