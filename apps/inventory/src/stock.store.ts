import { Injectable } from '@nestjs/common';
import { OutOfStockError, UnknownSkuError } from './inventory.errors.js';

export interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
}

const INITIAL_STOCK: Record<string, number> = { 'KB-101': 25, 'MS-202': 40, 'MN-303': 5 };

/** Stock per SKU and the reservations held against it (per order), in memory. */
@Injectable()
export class StockStore {
  private readonly available = new Map(Object.entries(INITIAL_STOCK));
  private readonly reservations = new Map<string, { sku: string; quantity: number }>();

  level(sku: string): StockLevel {
    const available = this.available.get(sku);
    if (available === undefined) throw new UnknownSkuError(sku);
    let reserved = 0;
    for (const r of this.reservations.values()) if (r.sku === sku) reserved += r.quantity;
    return { sku, available, reserved };
  }

  reserve(orderId: string, sku: string, quantity: number): StockLevel {
    const { available } = this.level(sku);
    if (quantity > available) throw new OutOfStockError(sku, quantity, available);
    this.available.set(sku, available - quantity);
    this.reservations.set(orderId, { sku, quantity });
    return this.level(sku);
  }

  /** Gives back what an order held; false when it held nothing. */
  release(orderId: string): boolean {
    const reservation = this.reservations.get(orderId);
    if (reservation === undefined) return false;
    this.reservations.delete(orderId);
    this.available.set(reservation.sku, (this.available.get(reservation.sku) ?? 0) + reservation.quantity);
    return true;
  }
}
