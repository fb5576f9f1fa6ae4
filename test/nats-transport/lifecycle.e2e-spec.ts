import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, Rpc, TransportError } from '@cliffracer/nats-transport';
import { createTestApp, NatsServerProcess, uniquePrefix } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';

@Controller()
class SlowController {
  finished = 0;

  @Rpc()
  async work(@Payload() payload: { ms: number; n: number }) {
    await new Promise((r) => setTimeout(r, payload.ms));
    this.finished += 1;
    return payload.n;
  }
}

describe('NatsServer lifecycle', () => {
  let nats: NatsServerProcess;

  beforeAll(async () => {
    nats = await NatsServerProcess.start({ jetstream: false });
  });

  afterAll(async () => {
    await nats?.stop();
  });

  it('answers every in-flight request before closing', async () => {
    const options = { service: 'slow', servers: nats.url, subjectPrefix: uniquePrefix() };
    const service = await createTestApp({ nats: options, controllers: [SlowController], logger: false });
    const caller = new NatsClient({ ...options, service: 'caller' });
    const calls = Array.from({ length: 20 }, (_, n) => caller.call<number>('slow', 'work', { ms: 300, n }));
    await new Promise((r) => setTimeout(r, 100));
    const controller = service.app.get(SlowController);
    expect(service.server.inFlight.size).toBe(20);

    await service.close();

    expect(controller.finished).toBe(20);
    await expect(Promise.all(calls)).resolves.toEqual(Array.from({ length: 20 }, (_, n) => n));
    await caller.close();
  });

  it('stops taking new requests once closing starts', async () => {
    const options = { service: 'slow2', servers: nats.url, subjectPrefix: uniquePrefix() };
    const service = await createTestApp({ nats: options, controllers: [SlowController], logger: false });
    const caller = new NatsClient({ ...options, service: 'caller' });
    const inFlight = caller.call<number>('slow2', 'work', { ms: 300, n: 1 });
    await new Promise((r) => setTimeout(r, 50));
    const closing = service.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(caller.call('slow2', 'work', { ms: 0, n: 2 })).rejects.toMatchObject({ name: 'NoRespondersError' });
    await expect(inFlight).resolves.toBe(1);
    await closing;
    await caller.close();
  });

  it('fails a call at once with a TransportError when the connection drops while it waits', async () => {
    const options = { service: 'dropped', servers: nats.url, subjectPrefix: uniquePrefix(), reconnectTimeWaitMs: 100 };
    const service = await createTestApp({ nats: options, controllers: [SlowController], logger: false });
    const caller = new NatsClient({ ...options, service: 'caller' });
    await caller.connect();
    const call = caller.call('dropped', 'work', { ms: 3000, n: 1 }, { timeoutMs: 20_000 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    const killedAt = Date.now();
    await nats.kill();
    const error = await call;
    expect(Date.now() - killedAt).toBeLessThan(2000);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe(`connection to NATS lost while waiting for the reply: ${options.subjectPrefix}.dropped.work`);
    await nats.restart();
    await caller.close();
    await service.close();
  });

  it('reconnects and serves again after the NATS server restarts', async () => {
    const options = { service: 'phoenix', servers: nats.url, subjectPrefix: uniquePrefix(), reconnectTimeWaitMs: 100 };
    const service = await createTestApp({ nats: options, controllers: [SlowController], logger: false });
    const caller = new NatsClient({ ...options, service: 'caller' });
    await expect(caller.call('phoenix', 'work', { ms: 0, n: 1 })).resolves.toBe(1);

    await nats.kill();
    await nats.restart();

    const deadline = Date.now() + 10_000;
    let answer: unknown;
    while (Date.now() < deadline) {
      answer = await caller.call('phoenix', 'work', { ms: 0, n: 2 }, { timeoutMs: 500 }).catch((e: unknown) => e);
      if (answer === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toBe(2);
    await caller.close();
    await service.close();
  });
});
