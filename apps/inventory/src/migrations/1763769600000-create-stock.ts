import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The catalogue a new inventory starts with. */
const INITIAL_STOCK: Array<[string, number]> = [
  ['KB-101', 25],
  ['MS-202', 40],
  ['MN-303', 5],
];

/** Creates the stock and reservation tables and stocks the catalogue. */
export class CreateStock1763769600000 implements MigrationInterface {
  name = 'CreateStock1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "stock_items" ("sku" varchar(32) PRIMARY KEY, "available" integer NOT NULL CHECK ("available" >= 0))`);
    await queryRunner.query(
      `CREATE TABLE "reservations" ("orderId" varchar(64) PRIMARY KEY, "sku" varchar(32) NOT NULL REFERENCES "stock_items" ("sku"), "quantity" integer NOT NULL CHECK ("quantity" > 0))`,
    );
    for (const [sku, available] of INITIAL_STOCK) {
      await queryRunner.query('INSERT INTO "stock_items" ("sku", "available") VALUES ($1, $2)', [sku, available]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "reservations"');
    await queryRunner.query('DROP TABLE "stock_items"');
  }
}
