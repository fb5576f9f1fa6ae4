import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The charges table; the partial unique index lets one charge per order go through, ever. */
export class CreateCharges1763942500000 implements MigrationInterface {
  name = 'CreateCharges1763942500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "charges" (
      "id" uuid PRIMARY KEY,
      "orderId" varchar(64) NOT NULL,
      "customer" varchar(64) NOT NULL,
      "amountCents" integer NOT NULL CHECK ("amountCents" >= 0),
      "status" varchar(16) NOT NULL,
      "reason" varchar(200),
      "createdAt" timestamptz NOT NULL
    )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "charges_one_success_per_order" ON "charges" ("orderId") WHERE "status" IN ('succeeded', 'refunded')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "charges"');
  }
}
