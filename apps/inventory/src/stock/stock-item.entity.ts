import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Units of one SKU on the shelf, not held by any order, and its unit price. */
@Entity({ name: 'stock_items' })
export class StockItem {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  sku!: string;

  @Column({ type: 'int' })
  available!: number;

  @Column({ type: 'int' })
  priceCents!: number;
}
