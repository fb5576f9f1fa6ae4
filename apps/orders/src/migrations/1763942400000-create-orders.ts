import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The orders table, with the index the expiry sweep reads. */
export class CreateOrders1763942400000 implements MigrationInterface {
  name = 'CreateOrders1763942400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "orders" (
      "id" uuid PRIMARY KEY,
      "customer" varchar(64) NOT NULL,
      "sku" varchar(32) NOT NULL,
      "quantity" integer NOT NULL CHECK ("quantity" > 0),
      "amountCents" integer CHECK ("amountCents" >= 0),
      "status" varchar(24) NOT NULL,
      "chargeId" varchar(64),
      "failure" varchar(200),
      "createdAt" timestamptz NOT NULL,
      "expiresAt" timestamptz NOT NULL,
      "paidAt" timestamptz
    )`);
    await queryRunner.query('CREATE INDEX "orders_customer_created" ON "orders" ("customer", "createdAt")');
    await queryRunner.query('CREATE INDEX "orders_status_expires" ON "orders" ("status", "expiresAt")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "orders"');
  }
}
