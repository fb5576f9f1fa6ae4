import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, PayloadTooLargeError, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, removeDurableStream, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';

const TWO_MIB = 'x'.repeat(2 * 1024 * 1024);

@Controller()
class BulkController {
  @Rpc() huge() {
    return { blob: TWO_MIB };
  }
  @Rpc() small() {
    return { ok: true };
  }
}

describe('Messages over max_payload', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let caller: NatsClient;
  let prefix: string;

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    service = await createTestApp({ nats: { service: 'bulk', servers: nats.url, subjectPrefix: prefix }, controllers: [BulkController], logger: false });
    caller = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix: prefix, errors: [] });
  });

  afterAll(async () => {
    await caller?.close();
    await service?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  it('answers a reply too large to send with a small PAYLOAD_TOO_LARGE error, not silence', async () => {
    const startedAt = performance.now();
    const error = await caller.call('bulk', 'huge', undefined, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((error as Error).message).toContain('over the server\'s max_payload');
    expect(performance.now() - startedAt).toBeLessThan(1000);
    await expect(caller.call('bulk', 'small')).resolves.toEqual({ ok: true });
  });

  it('fails a request too large to send at once on the caller', async () => {
    const startedAt = performance.now();
    const error = await caller.call('bulk', 'small', { blob: TWO_MIB }, { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({ maxBytes: 1024 * 1024 });
    expect(performance.now() - startedAt).toBeLessThan(200);
  });

  it.each([
    ['a core event', {}],
    ['a durable event', { durable: true, timeoutMs: 5000 }],
  ])('fails %s too large to send at once', async (_name, options) => {
    const startedAt = performance.now();
    await expect(caller.emit('bulk.events.big', { blob: TWO_MIB }, options)).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(performance.now() - startedAt).toBeLessThan(1000);
  });
});
