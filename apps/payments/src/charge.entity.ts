import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ChargeStatus = {
  SUCCEEDED: 'succeeded',
  DECLINED: 'declined',
  REFUNDED: 'refunded',
} as const;
export type ChargeStatus = (typeof ChargeStatus)[keyof typeof ChargeStatus];

/** One payment attempt for an order; at most one per order succeeds. */
@Entity({ name: 'charges' })
export class Charge {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  orderId!: string;

  @Column({ type: 'varchar', length: 64 })
  customer!: string;

  @Column({ type: 'int' })
  amountCents!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: ChargeStatus;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
