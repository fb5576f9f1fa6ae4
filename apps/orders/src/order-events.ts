/** Subjects of the events the orders service publishes, all durable. */
export const ORDER_EVENTS = {
  created: 'orders.events.created',
  paid: 'orders.events.paid',
  paymentFailed: 'orders.events.payment_failed',
  cancelled: 'orders.events.cancelled',
} as const;

/** Stock is held and the order waits for its payment. */
export interface OrderCreatedEvent {
  orderId: string;
  customer: string;
  sku: string;
  quantity: number;
  amountCents: number;
}

export interface OrderPaidEvent {
  orderId: string;
  customer: string;
  amountCents: number;
  chargeId: string;
}

export interface OrderPaymentFailedEvent {
  orderId: string;
  customer: string;
  reason: string;
}

/** The order will not be paid; what it held goes back. */
export interface OrderCancelledEvent {
  orderId: string;
  customer: string;
  reason: string;
}
