import { RpcValidationPipe } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app.js';
import { InventoryModule } from '../../apps/inventory/src/inventory.module.js';

/** The inventory (on an in-memory database) and the gateway (on a free port), on one prefix. */
export interface Shop {
  nats: NatsEndpoint;
  prefix: string;
  inventory: TestApp;
  gateway: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` of the gateway. */
  base: string;
  close(): Promise<void>;
}

export async function startShop(auth: { secret: string; issuer: string; audience: string }): Promise<Shop> {
  const nats = await ensureNats();
  const prefix = uniquePrefix();
  const inventoryNats = { service: 'inventory', servers: nats.url, subjectPrefix: prefix };
  const inventory = await createTestApp({
    nats: inventoryNats,
    imports: [InventoryModule.forRoot(inventoryNats, { embeddedDir: 'memory' })],
    logger: false,
    configure: (app) => app.useGlobalPipes(new RpcValidationPipe()),
  });
  const gateway = await createGatewayApp({ service: 'gateway', servers: nats.url, subjectPrefix: prefix }, auth, { logger: false });
  await gateway.startAllMicroservices();
  await gateway.listen({ port: 0, host: '127.0.0.1' });
  return {
    nats,
    prefix,
    inventory,
    gateway,
    base: await gateway.getUrl(),
    close: async () => {
      await gateway.close();
      await inventory.close();
      await nats.release();
    },
  };
}
