import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, Rpc, TransportError } from '@cliffracer/nats-transport';
import { createTestApp, NatsServerProcess, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';

@Controller()
class EchoController {
  @Rpc() echo() {
    return 'ok';
  }
}

describe('Calls while the client is disconnected', () => {
  let nats: NatsServerProcess;
  let service: TestApp;
  let caller: NatsClient;

  beforeAll(async () => {
    nats = await NatsServerProcess.start({ jetstream: false });
    service = await createTestApp({ nats: { service: 'echo', servers: nats.url }, controllers: [EchoController], logger: false });
    caller = new NatsClient({ service: 'caller', servers: nats.url, reconnectTimeWaitMs: 100 });
  });

  afterAll(async () => {
    await caller?.close();
    await service?.close();
    await nats?.stop();
  });

  it('fail at once with TransportError, and calls work again after the reconnect', async () => {
    await expect(caller.call('echo', 'echo')).resolves.toBe('ok');
    let down = false;
    caller.on('disconnected', () => (down = true));
    await nats.kill();
    await waitUntil(() => down, 5000);

    const startedAt = performance.now();
    const error = await caller.call('echo', 'echo', undefined, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toContain('not connected to NATS');
    expect(performance.now() - startedAt).toBeLessThan(100);

    await nats.restart();
    await waitUntil(() => caller.call('echo', 'echo', undefined, { timeoutMs: 500 }).then(() => true, () => false), 10_000, 100);
  });
});
