import 'reflect-metadata';
import { CorrelationLogger } from '@cliffracer/correlation';
import { createNatsMicroservice, RpcValidationPipe } from '@cliffracer/nats-transport';
import { inventoryDatabaseOptions, inventoryNatsOptions } from './inventory.config.js';
import { InventoryModule } from './inventory.module.js';

async function bootstrap(): Promise<void> {
  const nats = inventoryNatsOptions();
  const app = await createNatsMicroservice(InventoryModule.forRoot(nats, inventoryDatabaseOptions()), nats, { logger: new CorrelationLogger() });
  app.useGlobalPipes(new RpcValidationPipe());
  app.enableShutdownHooks();
  await app.listen();
  console.log(`inventory service listening on ${nats.servers} (prefix "${nats.subjectPrefix}")`);
}

void bootstrap();
