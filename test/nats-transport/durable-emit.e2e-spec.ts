import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CORRELATION_ID_HEADER, CorrelationContext } from '@cliffracer/correlation';
import { durableStreamName, Event, NatsClient, TransportError } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, removeDurableStream, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

@Injectable()
class Received {
  readonly ids: string[] = [];
}

@Controller()
class LedgerController {
  constructor(private readonly received: Received) {}

  @Event('billing.events.invoiced', { durable: 'ledger' })
  record(@Payload() invoice: { id: string }): void {
    this.received.ids.push(invoice.id);
  }
}

describe('NatsClient: durable emit', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let client: NatsClient;

  /** Asks JetStream about the run's stream on a connection of its own. */
  const inStream = async <T>(ask: (jsm: JetStreamManager, stream: string) => Promise<T>): Promise<T> => {
    const nc = await connect({ servers: nats.url });
    try {
      return await ask(await jetstreamManager(nc), durableStreamName(prefix, 'CLIFFRACER_EVENTS'));
    } finally {
      await nc.close();
    }
  };

  const stored = (subject: string) => inStream((jsm, stream) => jsm.streams.getMessage(stream, { last_by_subj: `${prefix}${subject}` }));

  const storedCount = (subject: string) =>
    inStream(async (jsm, stream) => {
      const info = await jsm.streams.info(stream, { subjects_filter: `${prefix}${subject}` });
      return info.state.subjects?.[`${prefix}${subject}`] ?? 0;
    });

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = `${uniquePrefix()}.`;
    client = new NatsClient({ service: 'billing', servers: nats.url, subjectPrefix: prefix });
  });

  afterAll(async () => {
    await client?.close();
    await removeDurableStream(nats.url, prefix);
    await nats?.release();
  });

  it('stores an event before any consumer exists, and a consumer started later receives it', async () => {
    await client.emit('billing.events.invoiced', { id: 'inv-1' }, { durable: true });
    const received = new Received();
    const ledger = await createTestApp({
      nats: { service: 'ledger', servers: nats.url, subjectPrefix: prefix },
      controllers: [LedgerController],
      providers: [{ provide: Received, useValue: received }],
      logger: false,
    });
    try {
      await waitUntil(() => received.ids.length === 1);
      expect(received.ids).toEqual(['inv-1']);
    } finally {
      await ledger.close();
    }
  });

  it('keeps the correlation ID but not a forwarded token on the stored event', async () => {
    await CorrelationContext.run('durable-cid-1', async () => {
      CorrelationContext.forward('Authorization', 'Bearer secret-token');
      await client.emit('billing.events.voided', { id: 'inv-2' }, { durable: true });
    });
    const message = await stored('billing.events.voided');
    expect(message?.header.get(CORRELATION_ID_HEADER)).toBe('durable-cid-1');
    expect(message?.header.has('Authorization')).toBe(false);
    expect(message?.json()).toEqual({ id: 'inv-2' });
  });

  it('stores an event published twice under one message ID once', async () => {
    await client.emit('billing.events.refunded', { id: 'r-7' }, { durable: true, messageId: `${prefix}refund-r-7` });
    await client.emit('billing.events.refunded', { id: 'r-7' }, { durable: true, messageId: `${prefix}refund-r-7` });
    await client.emit('billing.events.refunded', { id: 'r-8' }, { durable: true });
    expect(await storedCount('billing.events.refunded')).toBe(2);
  });

  it('refuses a message ID on an event that is not durable', async () => {
    await expect(Promise.resolve(client.emit('billing.events.refunded', { id: 'r-9' }, { messageId: 'm-1' }))).rejects.toThrow(
      'a message ID deduplicates durable events only: pass { durable: true } with it on billing.events.refunded',
    );
  });

  it('fails with a TransportError when the event cannot be stored in time', async () => {
    const elsewhere = new NatsClient({ service: 'billing', servers: nats.url, subjectPrefix: prefix, durableStream: 'NO_SUCH_STREAM' });
    const nc = await elsewhere.connect();
    await nc.close();
    const error = await elsewhere.emit('billing.events.lost', { id: 'x' }, { durable: true, timeoutMs: 300 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/^durable event not stored within 300ms \(.*\): .*billing\.events\.lost$/);
    await elsewhere.close();
  });
});
