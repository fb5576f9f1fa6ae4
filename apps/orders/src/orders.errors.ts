import { CliffracerError } from '@cliffracer/common';

/** No such order, or not one of the caller's (the two are not told apart). */
export class OrderNotFoundError extends CliffracerError {
  override readonly name = 'OrderNotFoundError';

  constructor(orderId: string) {
    super(`order not found: ${orderId}`, { code: 'NOT_FOUND', data: { orderId } });
  }
}

/** The order does not wait for a payment (already paid, cancelled or expired). */
export class OrderNotPayableError extends CliffracerError {
  override readonly name = 'OrderNotPayableError';

  constructor(orderId: string, status: string) {
    super(`order ${orderId} cannot be paid: it is ${status}`, { code: 'ORDER_NOT_PAYABLE', data: { orderId, status } });
  }
}
