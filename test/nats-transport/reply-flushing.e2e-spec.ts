import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { NatsConnection } from '@nats-io/transport-node';

@Controller()
class EchoController {
  @Rpc()
  echo(@Payload() payload: unknown) {
    return payload;
  }
}

// What nats.js gathers before writing: its `pendingLimit`, which `replyFlushBytes` sets on the
// server's connection. Read from its protocol handler: a nats.js that stopped reading the option
// would fail here instead of quietly writing replies in 32 KiB batches again.
function gatheredBytes(nc: NatsConnection): number {
  return (nc as unknown as { protocol: { pendingLimit: number } }).protocol.pendingLimit;
}

describe('reply flushing (replyFlushBytes)', () => {
  let nats: NatsEndpoint;
  let custom: TestApp;
  let byDefault: TestApp;

  beforeAll(async () => {
    nats = await ensureNats();
    custom = await createTestApp({ nats: { service: 'flushed', servers: nats.url, subjectPrefix: uniquePrefix(), replyFlushBytes: 1024 }, controllers: [EchoController] });
    byDefault = await createTestApp({ nats: { service: 'flushed', servers: nats.url, subjectPrefix: uniquePrefix() }, controllers: [EchoController] });
  });

  afterAll(async () => {
    await custom?.close();
    await byDefault?.close();
    await nats?.release();
  });

  it('writes a server\'s replies in pieces of replyFlushBytes, 4 KiB by default; clients keep nats.js\'s 32 KiB', async () => {
    await custom.client.connect();
    expect(gatheredBytes(custom.server.unwrap())).toBe(1024);
    expect(gatheredBytes(byDefault.server.unwrap())).toBe(4096);
    expect(gatheredBytes(custom.client.unwrap())).toBe(32 * 1024);
  });

  it('answers a burst of requests bigger than a piece, every reply whole and to its caller', async () => {
    const payloads = Array.from({ length: 300 }, (_, i) => ({ i, pad: 'x'.repeat(i % 97) }));
    const replies = await Promise.all(payloads.map((payload) => custom.client.call('flushed', 'echo', payload)));
    expect(replies).toEqual(payloads);
    await expect(byDefault.client.call('flushed', 'echo', { ok: true })).resolves.toEqual({ ok: true });
  });
});
