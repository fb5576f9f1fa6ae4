import { NatsClient, Rpc } from '@cliffracer/nats-transport';
import {
  DatabaseTimeoutError,
  DatabaseUnavailableError,
  InjectSecureRepository,
  type SecureRepository,
  SecureRepositoryModule,
  type SecureRepositoryModuleOptions,
} from '@cliffracer/secure-repository';
import { createTestApp, type Ledger, type TestApp } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import pg from 'pg';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per handled request: the side effect the ledger counts (no unique key, so a double shows). */
@Entity({ name: 'ledger_entries' })
export class LedgerEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  requestId!: string;
}

@Controller()
class EntriesController {
  constructor(@InjectSecureRepository(LedgerEntry) private readonly entries: SecureRepository<LedgerEntry>) {}

  @Rpc()
  async record(@Payload() request: { id: string }): Promise<string> {
    await this.entries.create({ requestId: request.id });
    return request.id;
  }
}

/** A service that inserts a row per `ledger.record` call, and a caller that knows the database errors. */
export interface DatabaseService {
  service: TestApp;
  caller: NatsClient;
  /** The schema-qualified table, for a lock. */
  table: string;
  /** Adds every row to the ledger as a side effect of its request. */
  countEffects(ledger: Ledger): Promise<number>;
  close(): Promise<void>;
}

export async function startDatabaseService(nats: string, db: { url: string } & SecureRepositoryModuleOptions): Promise<DatabaseService> {
  const schema = 'faults';
  const service = await createTestApp({
    nats: { service: 'ledger', servers: nats },
    imports: [SecureRepositoryModule.forRoot({ schema, synchronize: true, ...db }), SecureRepositoryModule.forFeature([LedgerEntry])],
    controllers: [EntriesController],
    logger: false,
  });
  const caller = new NatsClient({ service: 'caller', servers: nats, errors: [DatabaseUnavailableError, DatabaseTimeoutError] });
  const table = `"${schema}"."ledger_entries"`;
  return {
    service,
    caller,
    table,
    async countEffects(ledger) {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ requestId: string; n: string }>(`SELECT "requestId", count(*) AS n FROM ${table} GROUP BY 1`);
        for (const row of rows) ledger.effect(row.requestId, Number(row.n));
        return rows.length;
      } finally {
        await client.end();
      }
    },
    async close() {
      await caller.close();
      await service.close();
    },
  };
}
