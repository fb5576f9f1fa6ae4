import { InjectSecureRepository, type SecureRepository } from '@cliffracer/secure-repository';
import { Injectable } from '@nestjs/common';
import { OutOfStockError, ReservationConflictError, UnknownSkuError } from './inventory.errors.js';
import { Reservation } from './stock/reservation.entity.js';
import { StockItem } from './stock/stock-item.entity.js';

export interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
  priceCents: number;
}

/** Stock per SKU and the reservations held against it (per order), in the database. */
@Injectable()
export class StockStore {
  constructor(
    @InjectSecureRepository(StockItem) private readonly items: SecureRepository<StockItem>,
    @InjectSecureRepository(Reservation) private readonly reservations: SecureRepository<Reservation>,
  ) {}

  async level(sku: string): Promise<StockLevel> {
    const item = await this.items.findById(sku);
    if (item === null) throw new UnknownSkuError(sku);
    const held = await this.reservations.findMany({ where: { sku }, limit: 1000 });
    return { sku, available: item.available, reserved: held.reduce((sum, r) => sum + r.quantity, 0), priceCents: item.priceCents };
  }

  /**
   * Holds `quantity` of `sku` for an order. Asking again for the same order and line (a caller
   * retrying after a lost reply) holds nothing more; a different line for it is refused.
   */
  async reserve(orderId: string, sku: string, quantity: number): Promise<StockLevel> {
    await this.adjust(sku, async (available, tx) => {
      const existing = await tx.repository(Reservation).findById(orderId);
      if (existing !== null) {
        if (existing.sku !== sku || existing.quantity !== quantity) throw new ReservationConflictError(orderId);
        return available;
      }
      if (quantity > available) throw new OutOfStockError(sku, quantity, available);
      await tx.repository(Reservation).create({ orderId, sku, quantity });
      return available - quantity;
    });
    return this.level(sku);
  }

  /** Gives back what an order held; false when it held nothing. */
  async release(orderId: string): Promise<boolean> {
    const reservation = await this.reservations.findById(orderId);
    if (reservation === null) return false;
    let released = false;
    await this.adjust(reservation.sku, async (available, tx) => {
      released = await tx.repository(Reservation).delete(orderId);
      return released ? available + reservation.quantity : available;
    });
    return released;
  }

  /** The order was paid: what it held leaves the shelf for good. False when it held nothing. */
  async commit(orderId: string): Promise<boolean> {
    return this.reservations.delete(orderId);
  }

  // Sets a SKU's available units to what `change` makes of them, in one transaction that
  // holds the SKU's row locked: concurrent reservations queue up instead of losing changes.
  private async adjust(sku: string, change: (available: number, tx: StockTransaction) => Promise<number>): Promise<void> {
    await this.items.transaction(async (items, tx) => {
      const item = await items.findById(sku, { lock: 'update' });
      if (item === null) throw new UnknownSkuError(sku);
      const next = await change(item.available, tx);
      if (next !== item.available) await items.update(sku, { available: next });
    });
  }
}

type StockTransaction = Parameters<Parameters<SecureRepository<StockItem>['transaction']>[0]>[1];
