import { CliffracerError } from '@cliffracer/common';

/** The payment was refused (card declined, amount over the limit). */
export class PaymentDeclinedError extends CliffracerError {
  override readonly name = 'PaymentDeclinedError';

  constructor(orderId: string, reason: string) {
    super(`payment declined: ${reason}`, { code: 'PAYMENT_DECLINED', data: { orderId, reason } });
  }
}

/** The order was already charged a different amount. */
export class ChargeConflictError extends CliffracerError {
  override readonly name = 'ChargeConflictError';

  constructor(orderId: string) {
    super(`order ${orderId} was already charged a different amount`, { code: 'CONFLICT', data: { orderId } });
  }
}

/** Nothing was charged for the order, so nothing can be refunded. */
export class ChargeNotFoundError extends CliffracerError {
  override readonly name = 'ChargeNotFoundError';

  constructor(orderId: string) {
    super(`no charge to refund for order ${orderId}`, { code: 'NOT_FOUND', data: { orderId } });
  }
}
