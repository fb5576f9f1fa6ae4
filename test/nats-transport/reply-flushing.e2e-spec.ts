import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Socket } from 'node:net';

@Controller()
class EchoController {
  @Rpc()
  echo(@Payload() payload: unknown) {
    return payload;
  }
}

const PIECE = 1024;
const REPLY = Buffer.from('PUB ');

/**
 * Sizes of the writes of the process's NATS connections that carry replies (a server answers
 * with `PUB <inbox>`; callers send `HPUB`), seen at the socket while `work` runs.
 */
async function replyWrites(work: () => Promise<unknown>): Promise<number[]> {
  const sizes: number[] = [];
  const write = Socket.prototype.write;
  const spy = jest.spyOn(Socket.prototype, 'write').mockImplementation(function (this: Socket, ...args: unknown[]) {
    const chunk = args[0];
    if (chunk instanceof Uint8Array && REPLY.equals(chunk.subarray(0, REPLY.length))) sizes.push(chunk.length);
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sizes;
}

describe('reply flushing (replyFlushBytes)', () => {
  let nats: NatsEndpoint;
  let service: TestApp;

  beforeAll(async () => {
    nats = await ensureNats();
    service = await createTestApp({ nats: { service: 'flushed', servers: nats.url, subjectPrefix: uniquePrefix(), replyFlushBytes: PIECE }, controllers: [EchoController] });
    await service.client.call('flushed', 'echo', {});
  });

  afterAll(async () => {
    await service?.close();
    await nats?.release();
  });

  it('writes a burst of replies in pieces of replyFlushBytes, each one whole and to its caller', async () => {
    // 300 requests of about 150 bytes come in a few reads of many: without pieces, each read's
    // replies would go out in one write of up to nats.js's 32 KiB.
    const payloads = Array.from({ length: 300 }, (_, i) => ({ i, pad: 'x'.repeat(100 + (i % 7)) }));
    let replies: unknown[] = [];
    const sizes = await replyWrites(async () => {
      replies = await Promise.all(payloads.map((payload) => service.client.call('flushed', 'echo', payload)));
    });
    expect(replies).toEqual(payloads);
    // A piece is written once it reaches replyFlushBytes: at most that and one reply more.
    const largestReply = 300;
    expect(sizes.length).toBeGreaterThanOrEqual(Math.floor((300 * 150) / (PIECE + largestReply)));
    expect(Math.max(...sizes)).toBeLessThan(PIECE + largestReply);
  });
});
