import { describe, expect, it, jest } from '@jest/globals';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { Logger } from '@nestjs/common';
import { EventDelivery } from './event-delivery.js';
import type { NatsRoute } from './nats-routes.js';
import { normalizeNatsTransportOptions } from './nats-transport.options.js';
import { RefusalLog } from './refusal.log.js';
import { internalWireError } from './wire/wire-error.js';

const eventHandler = Object.assign(async () => undefined, { isEventHandler: true });
const route = {
  kind: 'event',
  subject: 'ledger.events.entry',
  handler: eventHandler,
  invoke: eventHandler,
  durable: { name: 'entry', maxDeliver: 3, ackWaitMs: 30_000, backoffMs: [100] },
  limits: normalizeNatsTransportOptions({ service: 'ledger' }).payloadLimits,
} as unknown as NatsRoute;

describe('EventDelivery', () => {
  describe('deliverDurable', () => {
    it('keeps claiming a long event without throwing from its timer once the connection is closed', async () => {
      jest.useFakeTimers();
      try {
        const logger = new Logger('test');
        jest.spyOn(logger, 'error').mockImplementation(() => undefined);
        const delivery = new EventDelivery(normalizeNatsTransportOptions({ service: 'ledger' }), logger, new RefusalLog(logger));
        let finish!: () => void;
        const slow = Object.assign(() => new Promise<void>((resolve) => (finish = resolve)), { isEventHandler: true });
        const long = { ...route, handler: slow, invoke: slow } as unknown as NatsRoute;
        const working = jest.fn(() => {
          throw new Error('closed connection');
        });
        const msg = { subject: 'ledger.events.entry', data: new TextEncoder().encode('{}'), info: { deliveryCount: 1 }, working, ack: () => undefined } as unknown as JsMsg;
        const delivered = delivery.deliverDurable(long, msg, {} as JetStreamClient);
        expect(() => jest.advanceTimersByTime(60_000)).not.toThrow();
        expect(working).toHaveBeenCalled();
        finish();
        await expect(delivered).resolves.toBeUndefined();
      } finally {
        jest.useRealTimers();
      }
    });
  });

  describe('refuseDurable', () => {
    it('settles without throwing when neither the dead letter nor the redelivery can be sent (connection closed)', async () => {
      const logger = new Logger('test');
      jest.spyOn(logger, 'error').mockImplementation(() => undefined);
      const delivery = new EventDelivery(normalizeNatsTransportOptions({ service: 'ledger' }), logger, new RefusalLog(logger));
      const closed = () => {
        throw new Error('closed connection');
      };
      const msg = { subject: 'ledger.events.entry', data: new Uint8Array(), info: { deliveryCount: 1 }, nak: closed, term: closed } as unknown as JsMsg;
      const js = { publish: () => Promise.reject(new Error('closed connection')) } as unknown as JetStreamClient;
      await expect(delivery.refuseDurable(route, msg, internalWireError(), js)).resolves.toBeUndefined();
    });
  });
});
