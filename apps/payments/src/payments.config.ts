import { numberFrom, shopServiceConfig, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import type { PaymentsSettings } from './payments.settings.js';

/**
 * The payments service's configuration from the environment (see `shopServiceConfig`; HTTP
 * port 8301, `JWT_SECRET` required), plus `PAYMENTS_LIMIT_CENTS` (default 100000).
 */
export function paymentsConfig(env: NodeJS.ProcessEnv = process.env): { service: ShopServiceConfig; payments: PaymentsSettings } {
  return {
    service: shopServiceConfig('payments', { defaultPort: 8301, auth: true, description: 'Charges and refunds the payments of orders' }, env),
    payments: { limitCents: numberFrom(env, 'PAYMENTS_LIMIT_CENTS', 100_000) },
  };
}
