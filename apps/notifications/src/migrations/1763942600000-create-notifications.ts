import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The notifications table; one row per order and kind, so a redelivered event adds nothing. */
export class CreateNotifications1763942600000 implements MigrationInterface {
  name = 'CreateNotifications1763942600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notifications" (
      "id" uuid PRIMARY KEY,
      "customer" varchar(64) NOT NULL,
      "orderId" varchar(64) NOT NULL,
      "kind" varchar(32) NOT NULL,
      "message" varchar(300) NOT NULL,
      "correlationId" varchar(128) NOT NULL,
      "createdAt" timestamptz NOT NULL,
      UNIQUE ("orderId", "kind")
    )`);
    await queryRunner.query('CREATE INDEX "notifications_customer_created" ON "notifications" ("customer", "createdAt")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "notifications"');
  }
}
