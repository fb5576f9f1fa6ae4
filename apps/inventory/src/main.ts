import 'reflect-metadata';
import { CorrelationLogger } from '@cliffracer/correlation';
import { NatsServer, RpcValidationPipe } from '@cliffracer/nats-transport';
import { NestFactory } from '@nestjs/core';
import { inventoryNatsOptions } from './inventory.config.js';
import { InventoryModule } from './inventory.module.js';

async function bootstrap(): Promise<void> {
  const nats = inventoryNatsOptions();
  const app = await NestFactory.createMicroservice(InventoryModule.forRoot(nats), {
    strategy: new NatsServer(nats),
    logger: new CorrelationLogger(),
  });
  app.useGlobalPipes(new RpcValidationPipe());
  app.enableShutdownHooks();
  await app.listen();
  console.log(`inventory service listening on ${nats.servers} (prefix "${nats.subjectPrefix}")`);
}

void bootstrap();
