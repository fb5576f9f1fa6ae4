import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Unit prices of the catalogue, in cents. */
const PRICES: Array<[string, number]> = [
  ['KB-101', 4900],
  ['MS-202', 2500],
  ['MN-303', 18900],
];

/** Gives every SKU a unit price, so orders can be charged. */
export class AddPrices1763856000000 implements MigrationInterface {
  name = 'AddPrices1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "stock_items" ADD COLUMN "priceCents" integer NOT NULL DEFAULT 0 CHECK ("priceCents" >= 0)`);
    for (const [sku, price] of PRICES) {
      await queryRunner.query('UPDATE "stock_items" SET "priceCents" = $1 WHERE "sku" = $2', [price, sku]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "stock_items" DROP COLUMN "priceCents"');
  }
}
