import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One message to a customer about one of their orders; one per order and kind. */
@Entity({ name: 'notifications' })
export class Notification {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  customer!: string;

  @Column({ type: 'varchar', length: 64 })
  orderId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'varchar', length: 300 })
  message!: string;

  /** The request that led to it, to find its trail in the logs. */
  @Column({ type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
