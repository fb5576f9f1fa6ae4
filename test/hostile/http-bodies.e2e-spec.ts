import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { NatsTransportModule, RpcValidationPipe } from '@cliffracer/nats-transport';
import { ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { Body, Controller, type DynamicModule, HttpCode, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, IsString } from 'class-validator';

class ItemDto {
  @IsString()
  sku!: string;

  @IsInt()
  qty!: number;
}

@Controller()
class ItemController {
  @Post('items')
  @HttpCode(200)
  add(@Body() item: ItemDto) {
    return { sku: item.sku, qty: item.qty };
  }
}

@Module({})
class BodiesModule {
  static forRoot(nats: { servers: string; subjectPrefix: string }): DynamicModule {
    return {
      module: BodiesModule,
      imports: [NatsTransportModule.forRoot({ service: 'bodies', ...nats }), HttpFrontDoorModule.forRoot({ service: 'bodies' })],
      controllers: [ItemController],
    };
  }
}

// Each under fastify's 1 MiB bodyLimit; without payload limits each stalled the event loop for 0.1 to 3 s.
const HOSTILE_BODIES: [string, string, string, string][] = [
  ['JSON nested 200,000 deep', 'application/json', `{"sku":"a","qty":1,"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`, 'maxDepth (32)'],
  ['a JSON array of 200,000 elements', 'application/json', `{"sku":"a","qty":1,"x":[${Array(200_000).fill('0').join(',')}]}`, 'maxArrayLength (10000)'],
  ['a JSON object of 80,000 keys', 'application/json', `{"sku":"a","qty":1,${Array.from({ length: 80_000 }, (_, i) => `"k${i}":1`).join(',')}}`, 'maxKeys (1000)'],
  ['30 JSON arrays of 10,000 elements', 'application/json', `{"sku":"a","qty":1,"x":[${Array(30).fill(`[${Array(10_000).fill('0').join(',')}]`).join(',')}]}`, 'maxValues (20000)'],
  ['a form of 30 fields of 1,000 values', 'application/x-www-form-urlencoded', `sku=a&qty=1&${Array.from({ length: 30 }, (_, i) => Array(1000).fill(`f${i}=0`).join('&')).join('&')}`, 'maxValues (20000)'],
  ['a form field repeated 200,000 times', 'application/x-www-form-urlencoded', `sku=a&qty=1&${Array(200_000).fill('x=0').join('&')}`, 'maxArrayLength (10000)'],
];

describe('HTTP bodies at the door', () => {
  let nats: NatsEndpoint;
  let app: NestFastifyApplication;
  let base: string;

  beforeAll(async () => {
    nats = await ensureNats();
    const transport = { servers: nats.url, subjectPrefix: uniquePrefix() };
    app = await createHttpService(BodiesModule.forRoot(transport), { service: 'bodies', ...transport }, {
      logger: false,
      configure: (a) => a.useGlobalPipes(new RpcValidationPipe()),
    });
    await app.startAllMicroservices();
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await nats?.release();
  });

  const post = (body: string, type: string) => fetch(`${base}/items`, { method: 'POST', body, headers: { 'content-type': type } });

  // Refused by the door, so neither class-transformer nor class-validator walks it.
  it.each(HOSTILE_BODIES)('refuses %s with 400 naming the limit', async (_name, type, body, limit) => {
    const res = await post(body, type);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'VALIDATION_ERROR', message: `payload breaks the limit ${limit}: POST /items` });
  });

  it('serves a valid JSON body', async () => {
    await expect((await post('{"sku":"a","qty":1}', 'application/json')).json()).resolves.toEqual({ sku: 'a', qty: 1 });
  });

  it('hands a form within the limits to the validation pipe', async () => {
    // A form's values are strings: the DTO's @IsInt, not the door, refuses qty.
    await expect((await post('sku=b&qty=2', 'application/x-www-form-urlencoded')).json()).resolves.toMatchObject({ message: 'validation failed: qty' });
  });

  it('still refuses a __proto__ key in a JSON body', async () => {
    expect((await post('{"sku":"a","qty":1,"__proto__":{"admin":true}}', 'application/json')).status).toBe(400);
  });
});
