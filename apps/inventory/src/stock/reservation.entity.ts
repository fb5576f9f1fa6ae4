import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Units an order holds of one SKU until it is paid (they leave the shelf) or cancelled (they go back). */
@Entity({ name: 'reservations' })
export class Reservation {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  orderId!: string;

  @Column({ type: 'varchar', length: 32 })
  sku!: string;

  @Column({ type: 'int' })
  quantity!: number;
}
