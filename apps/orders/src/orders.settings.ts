/** What the orders service needs beyond the shop's common configuration. */
export interface OrdersSettings {
  /** How long an order waits for its payment before it is cancelled, in milliseconds. */
  paymentWindowMs: number;
  /** How often unpaid orders past their window are looked for, in milliseconds. */
  expirySweepMs: number;
  /** How often events still waiting in the outbox are published again, in milliseconds. */
  outboxRelayMs: number;
  /**
   * How long one event may take to be stored before it is left to the outbox relay, in
   * milliseconds: long enough to outlast a NATS node's failover.
   */
  eventTimeoutMs: number;
}

export const ORDERS_SETTINGS = 'orders:settings';

/** The expiry sweep's timer name, whose interval `expirySweepMs` sets. */
export const EXPIRY_TIMER = 'orders.expire-unpaid';

/** The outbox relay's timer name, whose interval `outboxRelayMs` sets. */
export const OUTBOX_TIMER = 'orders.relay-outbox';
