import type { NatsTransportModuleOptions } from '@cliffracer/nats-transport';
import type { SecureRepositoryModuleOptions } from '@cliffracer/secure-repository';

/** Transport options of the inventory service, from the environment. */
export function inventoryNatsOptions(env: NodeJS.ProcessEnv = process.env): NatsTransportModuleOptions {
  return {
    service: 'inventory',
    servers: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    subjectPrefix: env.NATS_SUBJECT_PREFIX ?? '',
  };
}

/**
 * Database of the inventory service: `DATABASE_URL` when set, else an embedded Postgres in
 * `INVENTORY_DATA_DIR` (default `./.pgdata/inventory`; `memory` keeps nothing).
 */
export function inventoryDatabaseOptions(env: NodeJS.ProcessEnv = process.env): SecureRepositoryModuleOptions {
  return { url: env.DATABASE_URL, embeddedDir: env.INVENTORY_DATA_DIR ?? './.pgdata/inventory' };
}
