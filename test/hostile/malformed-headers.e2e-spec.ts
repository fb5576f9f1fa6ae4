import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Event, MalformedPayloadError, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, RawNatsSocket, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { NatsConnection } from '@nats-io/transport-node';
import { type ServiceWithRaw, startServiceWithRaw } from '../support/service-with-raw.js';

const BAD_HEADER_BLOCKS: [string, string][] = [
  ['a header name with a space', 'NATS/1.0\r\nBad Name: 1\r\n\r\n'],
  ['a header value with a bare LF', 'NATS/1.0\r\nX-Note: one\ntwo\r\n\r\n'],
];

@Controller()
class EchoController {
  events: unknown[] = [];
  durables: unknown[] = [];

  @Rpc()
  echo(@Payload() body: unknown) {
    return body;
  }

  @Event('hostile.events.seen')
  seen(@Payload() body: unknown) {
    this.events.push(body);
  }

  @Event('hostile.durable.seen', { durable: 'seen', maxDeliver: 2, backoffMs: [50] })
  durableSeen(@Payload() body: unknown) {
    this.durables.push(body);
  }
}

/** A valid call right after a hostile frame must be answered in normal time: the reader lives. */
async function answersPromptly(client: NatsClient, value: number): Promise<number> {
  const startedAt = performance.now();
  await expect(client.call('hostile', 'echo', { value }, { timeoutMs: 2000 })).resolves.toEqual({ value });
  return performance.now() - startedAt;
}

describe('Malformed NATS headers', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let caller: NatsClient;
  let prefix: string;
  let watcher: NatsConnection;

  let fixture: ServiceWithRaw;

  beforeAll(async () => {
    fixture = await startServiceWithRaw({ nats: { service: 'hostile' }, controllers: [EchoController], logger: false, durable: true });
    ({ nats, service, prefix, raw: watcher } = fixture);
    caller = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix: prefix });
  });

  afterAll(async () => {
    await caller?.close();
    await fixture?.close();
  });

  describe.each(BAD_HEADER_BLOCKS)('with %s', (_name, block) => {
    it('answers a request with BAD_PAYLOAD and serves the next one at once', async () => {
      await using raw = await RawNatsSocket.open(nats.url);
      raw.sub('hostile.reply', 1);
      raw.hpub(`${prefix}.hostile.echo`, 'hostile.reply', block, '{"value":1}');
      await raw.waitFor('HMSG hostile.reply');
      expect(raw.text).toContain('"code":"BAD_PAYLOAD"');
      expect(raw.text).toContain('Nats-Service-Error-Code: 400');
      expect(await answersPromptly(caller, 2)).toBeLessThan(500);
    });

    it('dead-letters an event and handles the next one', async () => {
      const deadLetters = watcher.subscribe(`${prefix}.cliffracer.dead-letter.hostile.events.seen`, { max: 1 });
      await watcher.flush();
      const controller = service.app.get(EchoController);
      await using raw = await RawNatsSocket.open(nats.url);
      raw.hpub(`${prefix}.hostile.events.seen`, undefined, block, '{"n":1}');
      await raw.ping();
      for await (const letter of deadLetters) {
        expect(new TextDecoder().decode(letter.data)).toBe('{"n":1}');
        expect(letter.headers?.get('Cliffracer-Error')).toContain('MalformedPayloadError');
      }
      await caller.emit('hostile.events.seen', { n: 2 });
      await waitUntil(() => controller.events.some((e) => (e as { n: number }).n === 2), 1000);
      expect(controller.events).not.toContainEqual({ n: 1 });
      expect(await answersPromptly(caller, 3)).toBeLessThan(500);
    });
  });

  it('dead-letters a durable event with a malformed header block once, and the consumer goes on', async () => {
    const controller = service.app.get(EchoController);
    const deadLetters = watcher.subscribe(`${prefix}.cliffracer.dead-letter.hostile.durable.seen`);
    await watcher.flush();
    await using raw = await RawNatsSocket.open(nats.url);
    raw.hpub(`${prefix}.hostile.durable.seen`, undefined, BAD_HEADER_BLOCKS[0][1], '{"d":1}');
    await raw.ping();
    await caller.emit('hostile.durable.seen', { d: 2 }, { durable: true });
    await waitUntil(() => controller.durables.length === 1 && deadLetters.getReceived() === 1, 3000);
    expect(controller.durables).toEqual([{ d: 2 }]);
    deadLetters.unsubscribe();
  });

  it('fails a call whose reply has a malformed header block, and the client serves the next call', async () => {
    await using raw = await RawNatsSocket.open(nats.url);
    raw.sub(`${prefix}.liar.answer`, 7);
    await raw.ping();
    const call = caller.call('liar', 'answer', {}, { timeoutMs: 2000 });
    await raw.waitFor(`MSG ${prefix}.liar.answer 7 `);
    const inbox = /HMSG \S+ 7 (\S+) /.exec(raw.text)![1];
    raw.hpub(inbox, undefined, BAD_HEADER_BLOCKS[1][1], '{}');
    await expect(call).rejects.toBeInstanceOf(MalformedPayloadError);
    expect(await answersPromptly(caller, 4)).toBeLessThan(500);
  });
});

describe('NatsServer.ping', () => {
  it('resolves while the connection reads, and rejects once its reader has died', async () => {
    const nats = await ensureNats();
    const service = await createTestApp({ nats: { service: 'pinged', servers: nats.url, subjectPrefix: uniquePrefix(), shutdownGraceMs: 300 }, controllers: [], logger: false });
    try {
      await expect(service.server.ping(1000)).resolves.toBeUndefined();
      // A callback that throws stops the reader of nats.js: what the transport never lets happen.
      const nc = service.server.unwrap();
      const subject = `${uniquePrefix()}.kill-reader`;
      nc.subscribe(subject, { callback: () => { throw new Error('reader killer'); } });
      await nc.flush();
      nc.publish(subject, '');
      const startedAt = performance.now();
      await expect(service.server.ping(300)).rejects.toThrow('did not answer a ping within 300ms');
      expect(performance.now() - startedAt).toBeLessThan(1000);
    } finally {
      await service.close();
      await nats.release();
    }
  });
});
