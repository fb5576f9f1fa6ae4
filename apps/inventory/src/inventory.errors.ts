import { CliffracerError } from '@cliffracer/common';

/** The SKU is not in the catalogue. */
export class UnknownSkuError extends CliffracerError {
  override readonly name = 'UnknownSkuError';

  constructor(sku: string) {
    super(`unknown sku: ${sku}`, { code: 'UNKNOWN_SKU', data: { sku } });
  }
}

/** Fewer items are available than asked for. */
export class OutOfStockError extends CliffracerError {
  override readonly name = 'OutOfStockError';

  constructor(sku: string, requested: number, available: number) {
    super(`only ${available} of ${sku} available, ${requested} requested`, {
      code: 'OUT_OF_STOCK',
      data: { sku, requested, available },
    });
  }
}

/** The order already holds a different line than the one asked for. */
export class ReservationConflictError extends CliffracerError {
  override readonly name = 'ReservationConflictError';

  constructor(orderId: string) {
    super(`order ${orderId} already holds a different reservation`, { code: 'RESERVATION_CONFLICT', data: { orderId } });
  }
}
