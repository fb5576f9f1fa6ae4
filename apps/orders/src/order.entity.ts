import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where an order stands. */
export const OrderStatus = {
  /** Created; its stock is being reserved. */
  PENDING: 'pending',
  /** Stock held, waiting for a payment until `expiresAt`. */
  AWAITING_PAYMENT: 'awaiting_payment',
  PAID: 'paid',
  /** Not paid in time (or never reserved): its stock went back. */
  CANCELLED: 'cancelled',
  /** The inventory refused it (unknown SKU, out of stock). */
  REJECTED: 'rejected',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/** One order of one customer for one SKU. */
@Entity({ name: 'orders' })
export class Order {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  customer!: string;

  @Column({ type: 'varchar', length: 32 })
  sku!: string;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ type: 'int', nullable: true })
  amountCents!: number | null;

  @Column({ type: 'varchar', length: 24 })
  status!: OrderStatus;

  @Column({ type: 'varchar', length: 64, nullable: true })
  chargeId!: string | null;

  /** Why the last payment attempt (or the reservation) failed. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  failure!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  /** An unpaid order is cancelled after this. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt!: Date | null;
}
