/** What the orders service needs beyond the shop's common configuration. */
export interface OrdersSettings {
  /** How long an order waits for its payment before it is cancelled, in milliseconds. */
  paymentWindowMs: number;
  /** How often unpaid orders past their window are looked for, in milliseconds. */
  expirySweepMs: number;
}

export const ORDERS_SETTINGS = 'orders:settings';

/** The expiry sweep's timer name, whose interval `expirySweepMs` sets. */
export const EXPIRY_TIMER = 'orders.expire-unpaid';
