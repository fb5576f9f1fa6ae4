import { describe, expect, it } from '@jest/globals';
import type { MessageHandler } from '@nestjs/microservices';
import { EVENT_HANDLER_KIND, RPC_HANDLER_KIND } from './nats-transport.constants.js';
import { normalizeNatsTransportOptions } from './nats-transport.options.js';
import { buildRoutes, eventQueue, subjectOf } from './nats-routes.js';

function handler(isEventHandler: boolean, extras: Record<string, unknown>): MessageHandler {
  return Object.assign(async () => undefined, { isEventHandler, extras }) as unknown as MessageHandler;
}

describe('buildRoutes', () => {
  const options = normalizeNatsTransportOptions({ service: 'orders', subjectPrefix: 'dev' });

  it('puts an @Rpc on <prefix>.<service>.<name> in the service queue group', () => {
    const [route] = buildRoutes(new Map([['get', handler(false, { kind: RPC_HANDLER_KIND, timeoutMs: 50 })]]), options);
    expect(route).toMatchObject({ kind: 'rpc', subject: 'dev.orders.get', queue: 'orders', timeoutMs: 50 });
  });

  it('carries an @Rpc bulkhead of its own onto the route', () => {
    const concurrency = { maxConcurrent: 4, maxQueued: 8 };
    const [route] = buildRoutes(new Map([['export', handler(false, { kind: RPC_HANDLER_KIND, concurrency })]]), options);
    expect(route!.concurrency).toEqual(concurrency);
  });

  it('keeps a plain @MessagePattern subject as given', () => {
    const [route] = buildRoutes(new Map([['legacy.sum', handler(false, {})]]), options);
    expect(route).toMatchObject({ kind: 'rpc', subject: 'dev.legacy.sum' });
  });

  it('takes a message\'s subject from a core route without wildcards, and from the message otherwise', () => {
    const routes = buildRoutes(
      new Map([
        ['get', handler(false, { kind: RPC_HANDLER_KIND })],
        ['orders.placed', handler(true, { kind: EVENT_HANDLER_KIND })],
        ['orders.*', handler(true, { kind: EVENT_HANDLER_KIND })],
        // A durable consumer's filter may still be another instance's (a rolling deploy).
        ['orders.paid', handler(true, { kind: EVENT_HANDLER_KIND, durable: { name: 'paid', maxDeliver: 5, ackWaitMs: 30_000 } })],
      ]),
      options,
    );
    expect(routes.map((r) => r.exact)).toEqual([true, true, false, false]);
    // Reports name a route by its subject without the prefix, cut once here.
    expect(routes.map((r) => r.name)).toEqual(['orders.get', 'orders.placed', 'orders.*', 'orders.paid']);
    let reads = 0;
    const msg = (subject: string) => ({
      get subject() {
        reads += 1;
        return subject;
      },
    });
    expect(subjectOf(routes[0]!, msg('dev.orders.get'))).toBe('dev.orders.get');
    expect(subjectOf(routes[1]!, msg('dev.orders.placed'))).toBe('dev.orders.placed');
    expect(reads).toBe(0);
    expect(subjectOf(routes[2]!, msg('dev.orders.shipped'))).toBe('dev.orders.shipped');
    expect(reads).toBe(1);
  });

  it('gives overlapping event patterns their own queue groups', () => {
    const routes = buildRoutes(
      new Map([
        ['orders.*', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: false })],
        ['orders.>', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: false })],
      ]),
      options,
    );
    expect(routes.map((r) => r.queue)).toEqual(['orders.orders.STAR', 'orders.orders.ALL']);
  });

  it('subscribes a broadcast event without a queue group', () => {
    const [route] = buildRoutes(new Map([['ping', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: true })]]), options);
    expect(route!.queue).toBeUndefined();
  });

  it('gives each RPC route request counters while discovery is on, and none when it is off', () => {
    const handlers = new Map([['get', handler(false, { kind: RPC_HANDLER_KIND })], ['orders.*', handler(true, { kind: EVENT_HANDLER_KIND, broadcast: false })]]);
    expect(buildRoutes(handlers, options).map((route) => route.stats !== undefined)).toEqual([true, false]);
    const quiet = normalizeNatsTransportOptions({ service: 'orders', discovery: false });
    expect(buildRoutes(handlers, quiet).map((route) => route.stats)).toEqual([undefined, undefined]);
  });

  it('refuses a wildcard in an RPC subject', () => {
    expect(() => buildRoutes(new Map([['a.*', handler(false, {})]]), options)).toThrow('not a valid subject');
  });

  it('names event queues after service and pattern', () => {
    expect(eventQueue('mailer', 'a.*.>')).toBe('mailer.a.STAR.ALL');
  });
});
