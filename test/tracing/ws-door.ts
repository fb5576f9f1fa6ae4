import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { NatsTransportModule } from '@cliffracer/nats-transport';
import { Module, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsClient } from '../apps/ws-client.js';

/** Where a test's WebSocket door runs: NATS under the test's prefix, as service `service`. */
export interface WsDoorOptions {
  service: string;
  servers: string;
  subjectPrefix: string;
}

/**
 * An HTTP door made by `createHttpService` with `gateway` on `/ws`, listening on a free local
 * port, and a WebSocket client connected to it.
 */
export async function openWsDoor(options: WsDoorOptions, gateway: Type<unknown>): Promise<{ door: NestFastifyApplication; client: WsClient }> {
  @Module({ imports: [NatsTransportModule.forRoot(options), HttpFrontDoorModule.forRoot({ service: options.service })], providers: [gateway] })
  class DoorModule {}
  const door = await createHttpService(DoorModule, options, { logger: false, websockets: true });
  await door.startAllMicroservices();
  await door.listen({ port: 0, host: '127.0.0.1' });
  const client = await WsClient.open(`${(await door.getUrl()).replace('http', 'ws')}/ws`);
  return { door, client };
}
