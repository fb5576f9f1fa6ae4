import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An event of the orders service stored with the change it announces, in the same
 * transaction, until JetStream has it. Sent rows are deleted.
 */
@Entity({ name: 'order_outbox' })
export class OutboxEvent {
  /** Its place in the order events happened in: events go out in this order. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq!: string;

  /** The JetStream message ID: however often the event is published, it is stored once. */
  @Column({ type: 'uuid' })
  messageId!: string;

  @Column({ type: 'uuid' })
  orderId!: string;

  @Column({ type: 'varchar', length: 64 })
  subject!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  /** The correlation ID of the request that made the change; the event carries it. */
  @Column({ type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
