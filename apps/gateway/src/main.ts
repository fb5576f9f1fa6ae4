import 'reflect-metadata';
import { CorrelationLogger } from '@cliffracer/correlation';
import { gatewayAuthOptions, gatewayNatsOptions, gatewayPort } from './gateway.config.js';
import { createGatewayApp } from './gateway.app.js';

async function bootstrap(): Promise<void> {
  const nats = gatewayNatsOptions();
  const app = await createGatewayApp(nats, gatewayAuthOptions(), { logger: new CorrelationLogger() });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen({ port: gatewayPort(), host: process.env.GATEWAY_HOST ?? '127.0.0.1' });
  console.log(`gateway listening on ${await app.getUrl()} (NATS ${nats.servers}, prefix "${nats.subjectPrefix}")`);
}

void bootstrap();
