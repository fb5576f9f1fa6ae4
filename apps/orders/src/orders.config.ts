import { numberFrom, shopServiceConfig, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import type { OrdersSettings } from './orders.settings.js';

/**
 * The orders service's configuration from the environment (see `shopServiceConfig`; HTTP port
 * 8201, `JWT_SECRET` required), plus `ORDERS_PAYMENT_WINDOW_MS` (default 15 minutes),
 * `ORDERS_EXPIRY_SWEEP_MS` (default 30 s), `ORDERS_OUTBOX_RELAY_MS` (default 5 s) and
 * `ORDERS_EVENT_TIMEOUT_MS` (default 15 s).
 */
export function ordersConfig(env: NodeJS.ProcessEnv = process.env): { service: ShopServiceConfig; orders: OrdersSettings } {
  return {
    service: shopServiceConfig('orders', { defaultPort: 8201, auth: true, description: 'Places orders and follows them to paid or expired' }, env),
    orders: {
      paymentWindowMs: numberFrom(env, 'ORDERS_PAYMENT_WINDOW_MS', 15 * 60_000),
      expirySweepMs: numberFrom(env, 'ORDERS_EXPIRY_SWEEP_MS', 30_000),
      outboxRelayMs: numberFrom(env, 'ORDERS_OUTBOX_RELAY_MS', 5_000),
      eventTimeoutMs: numberFrom(env, 'ORDERS_EVENT_TIMEOUT_MS', 15_000),
    },
  };
}
