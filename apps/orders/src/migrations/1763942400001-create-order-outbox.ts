import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The events waiting to be published, in the order they happened. */
export class CreateOrderOutbox1763942400001 implements MigrationInterface {
  name = 'CreateOrderOutbox1763942400001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "order_outbox" (
      "seq" bigserial PRIMARY KEY,
      "messageId" uuid NOT NULL UNIQUE,
      "orderId" uuid NOT NULL,
      "subject" varchar(64) NOT NULL,
      "payload" jsonb NOT NULL,
      "correlationId" varchar(128) NOT NULL,
      "createdAt" timestamptz NOT NULL
    )`);
    await queryRunner.query('CREATE INDEX "order_outbox_order" ON "order_outbox" ("orderId", "seq")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "order_outbox"');
  }
}
