import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller, Inject } from '@nestjs/common';

const INSTANCE = 'INSTANCE';

@Controller()
class WhoController {
  constructor(@Inject(INSTANCE) private readonly instance: string) {}

  @Rpc()
  who() {
    return this.instance;
  }
}

describe('NatsServer: queue groups', () => {
  let nats: NatsEndpoint;
  const instances: TestApp[] = [];

  beforeAll(async () => {
    nats = await ensureNats();
    const options = { service: 'who', servers: nats.url, subjectPrefix: uniquePrefix() };
    for (const name of ['a', 'b']) {
      instances.push(
        await createTestApp({
          nats: options,
          controllers: [WhoController],
          providers: [{ provide: INSTANCE, useValue: name }],
          logger: false,
        }),
      );
    }
  });

  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await nats?.release();
  });

  it('shares the calls of one service between its instances, each call answered once', async () => {
    const client = instances[0]!.client;
    const answers = await Promise.all(Array.from({ length: 200 }, () => client.call<string>('who', 'who')));
    const counts = { a: answers.filter((x) => x === 'a').length, b: answers.filter((x) => x === 'b').length };
    expect(counts.a + counts.b).toBe(200);
    expect(counts.a).toBeGreaterThan(20);
    expect(counts.b).toBeGreaterThan(20);
  });
});
