import type { AuthModuleOptions } from '@cliffracer/auth';
import { ensureNats, type NatsEndpoint, removeDurableStream, uniquePrefix } from '@cliffracer/testing';
import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app.js';
import { InventoryModule } from '../../apps/inventory/src/inventory.module.js';
import { NotificationsModule } from '../../apps/notifications/src/notifications.module.js';
import { OrdersModule } from '../../apps/orders/src/orders.module.js';
import type { OrdersSettings } from '../../apps/orders/src/orders.settings.js';
import { PaymentsModule } from '../../apps/payments/src/payments.module.js';
import { createShopApp, type ShopServiceConfig, startShopApp } from '@cliffracer-sample/shop-common';

/** The machine's PostgreSQL, or `DATABASE_URL`: every service of a shop gets a schema of its own there. */
export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const SHOP_SERVICES = ['inventory', 'payments', 'orders', 'notifications', 'gateway'] as const;
export type ShopService = (typeof SHOP_SERVICES)[number];

/** How a test shop runs. */
export interface ShopOptions {
  auth: AuthModuleOptions;
  /** Folder under which each service writes its debug logs (`<dir>/<service>`); none: debug mode off. */
  debugDir?: string;
  logger?: LoggerService | false;
  orders?: Partial<OrdersSettings>;
  /** NATS servers per service (a cluster test connects them to different nodes). @default one shared server */
  servers?: Partial<Record<ShopService, string[]>>;
  /** Durable stream copies (3 on a cluster). @default 1 */
  durableReplicas?: number;
  /** Opens a backdoor (loopback, any free port) into every service with this token. @default none */
  backdoorToken?: string;
}

/** The five services of the sample shop on one subject prefix, each in its own Postgres schema. */
export interface Shop {
  nats: NatsEndpoint;
  prefix: string;
  apps: Record<ShopService, NestFastifyApplication>;
  gateway: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` of the gateway. */
  base: string;
  /** The Postgres schema of a service's tables. */
  schema(service: ShopService): string;
  close(): Promise<void>;
}

export async function startShop(options: ShopOptions): Promise<Shop> {
  const nats = await ensureNats();
  const prefix = uniquePrefix();
  const schemaBase = `shop_${randomBytes(4).toString('hex')}`;
  const config = (service: ShopService): ShopServiceConfig => ({
    nats: {
      service,
      subjectPrefix: prefix,
      durableReplicas: options.durableReplicas,
      // A service given its own list connects to the first node of it, as the test asked.
      ...(options.servers?.[service] === undefined ? { servers: nats.url } : { servers: options.servers[service], connection: { noRandomize: true } }),
    },
    database: { url: POSTGRES_URL, schema: `${schemaBase}_${service}` },
    auth: service === 'inventory' ? undefined : options.auth,
    backdoor: options.backdoorToken === undefined ? { enabled: false } : { service, token: options.backdoorToken, port: 0 },
    debug: { service, enabled: options.debugDir !== undefined, dir: options.debugDir && join(options.debugDir, service), flushIntervalMs: 50 },
    instance: service,
    http: { port: 0, host: '127.0.0.1' },
  });
  const orders = { paymentWindowMs: 15 * 60_000, expirySweepMs: 30_000, outboxRelayMs: 5_000, eventTimeoutMs: 15_000, ...options.orders };
  const modules = {
    inventory: () => InventoryModule.forRoot(config('inventory')),
    payments: () => PaymentsModule.forRoot(config('payments'), { limitCents: 100_000 }),
    orders: () => OrdersModule.forRoot(config('orders'), orders),
    notifications: () => NotificationsModule.forRoot(config('notifications')),
  };
  const apps = {} as Record<ShopService, NestFastifyApplication>;
  // Every step runs even when one before it failed, so a failed test leaves nothing behind.
  const close = async () => {
    const steps = [
      ...[...SHOP_SERVICES].reverse().map((service) => () => apps[service]?.close()),
      () => dropSchemas(SHOP_SERVICES.map((service) => `${schemaBase}_${service}`)),
      () => removeDurableStream(options.servers?.orders ?? nats.url, prefix),
      () => nats.release(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await Promise.resolve().then(step).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  };
  try {
    for (const [service, module] of Object.entries(modules) as Array<[ShopService, () => ReturnType<typeof InventoryModule.forRoot>]>) {
      apps[service] = await createShopApp(module(), config(service), { logger: options.logger ?? false });
      await startShopApp(apps[service], config(service));
    }
    apps.gateway = await createGatewayApp(config('gateway'), { logger: options.logger ?? false });
    await startShopApp(apps.gateway, config('gateway'));
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { nats, prefix, apps, gateway: apps.gateway, base: await apps.gateway.getUrl(), schema: (service) => `${schemaBase}_${service}`, close };
}

async function dropSchemas(schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
