import { describe, expect, it } from '@jest/globals';
import type { MessageHandler } from '@nestjs/microservices';
import { EVENT_HANDLER_KIND, RPC_HANDLER_KIND } from '../nats-transport.constants.js';
import { normalizeNatsTransportOptions } from '../nats-transport.options.js';
import { buildRoutes } from '../nats-routes.js';
import { describeEndpoints, serviceMetadata } from './service-description.js';

function handler(isEventHandler: boolean, extras: Record<string, unknown>): MessageHandler {
  return Object.assign(async () => undefined, { isEventHandler, extras }) as unknown as MessageHandler;
}

const durable = { name: 'paid', maxDeliver: 5, backoffMs: [1000], ackWaitMs: 30_000 };

describe('describeEndpoints', () => {
  it('names an @Rpc endpoint after its method and a plain pattern after its subject, as one token', () => {
    const options = normalizeNatsTransportOptions({ service: 'orders', subjectPrefix: 'dev' });
    const routes = buildRoutes(
      new Map([
        ['get', handler(false, { kind: RPC_HANDLER_KIND, timeoutMs: 250 })],
        ['legacy.sum', handler(false, {})],
        ['orders.*', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: false })],
      ]),
      options,
    );
    expect(describeEndpoints(routes, options).map((endpoint) => endpoint.info)).toEqual([
      { name: 'get', subject: 'dev.orders.get', queue_group: 'orders', metadata: { timeout_ms: '250' } },
      { name: 'legacy_sum', subject: 'dev.legacy.sum', queue_group: 'orders', metadata: {} },
    ]);
  });
});

describe('serviceMetadata', () => {
  it('names the subject prefix and every event the service consumes, durable and broadcast ones marked', () => {
    const options = normalizeNatsTransportOptions({ service: 'orders', subjectPrefix: 'dev' });
    const routes = buildRoutes(
      new Map([
        ['payments.events.paid', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: false, durable })],
        ['stock.>', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: false })],
        ['cache.flush', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: true })],
      ]),
      options,
    );
    expect(serviceMetadata(routes, options)).toEqual({
      subject_prefix: 'dev',
      events: 'dev.payments.events.paid (durable orders_paid), dev.stock.>, dev.cache.flush (broadcast)',
    });
  });

  it('is empty for a service without prefix or events', () => {
    const options = normalizeNatsTransportOptions({ service: 'orders' });
    expect(serviceMetadata(buildRoutes(new Map([['get', handler(false, { kind: RPC_HANDLER_KIND })]]), options), options)).toEqual({});
  });
});
