import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Units an order holds of one SKU until it is paid or cancelled. */
@Entity({ name: 'reservations' })
export class Reservation {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  orderId!: string;

  @Column({ type: 'varchar', length: 32 })
  sku!: string;

  @Column({ type: 'int' })
  quantity!: number;
}
