import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { durableStreamName } from '@cliffracer/nats-transport';
import { NatsCluster, waitUntil } from '@cliffracer/testing';
import { Logger } from '@nestjs/common';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { httpClient } from '../apps/http-client.js';
import { POSTGRES_URL, type Shop, SHOP_SERVICES, type ShopService, startShop } from '../apps/shop-fixture.js';

const AUTH = { secret: 'scale-out-secret-of-at-least-32-chars!!', issuer: 'shop', audience: 'shop' };
/** Which node each service connects to first: every node carries some of the shop. */
const HOME_NODE: Record<ShopService, number> = { gateway: 0, orders: 1, payments: 2, inventory: 0, notifications: 1 };
/** Errors a caller may meet while a node fails over, each a clean answer with its status. */
const CLEAN_FAILURES: Record<number, string[]> = { 503: ['NO_RESPONDERS', 'TRANSPORT_ERROR'], 504: ['RPC_TIMEOUT'] };

interface Outcome {
  message?: string;
  /** When the answer came. */
  at: number;
  status: number;
  code?: string;
  orderId?: string;
  orderStatus?: string;
  ms: number;
}

describe('scale-out: the shop on a 3-node NATS cluster losing a node under load', () => {
  let cluster: NatsCluster;
  let shop: Shop;
  const { http, login } = httpClient(() => shop.base);

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    cluster = await NatsCluster.start(3);
    const servers = Object.fromEntries(
      SHOP_SERVICES.map((service) => {
        const home = HOME_NODE[service];
        return [service, [cluster.urls[home]!, ...cluster.urls.filter((_, i) => i !== home)]];
      }),
    );
    shop = await startShop({ auth: AUTH, servers, durableReplicas: 3 });
    // Enough stock that the load never runs out of it.
    const db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    await db.query(`INSERT INTO "${shop.schema('inventory')}"."stock_items" ("sku", "available", "priceCents") VALUES ('LOAD-1', 1000000, 100)`);
    await db.end();
  }, 120_000);

  afterAll(async () => {
    try {
      await shop?.close();
    } finally {
      await cluster?.stop();
      jest.restoreAllMocks();
    }
  }, 60_000);

  it('answers every request (success or a clean error) and loses no durable event', async () => {
    // Kill the node that leads the durable stream: the stream and its consumers fail over too.
    const probe = await connect({ servers: cluster.urls });
    const info = await (await jetstreamManager(probe)).streams.info(durableStreamName(`${shop.prefix}.`, 'CLIFFRACER_EVENTS'));
    await probe.close();
    expect(info.config.num_replicas).toBe(3);
    const victim = cluster.node(info.cluster!.leader!);

    const token = await login('ann', 'ann-password');
    const outcomes: Outcome[] = [];
    let stopAt = Number.POSITIVE_INFINITY;
    const worker = async () => {
      while (Date.now() < stopAt) {
        const started = Date.now();
        const answer = await http('POST', '/api/orders', { token, body: { sku: 'LOAD-1', quantity: 1, paymentToken: 'tok_visa' } });
        const { body } = answer;
        outcomes.push({
          status: answer.status,
          code: body.code as string | undefined,
          message: body.message as string | undefined,
          orderId: body.id as string | undefined,
          orderStatus: body.status as string | undefined,
          at: Date.now(),
          ms: Date.now() - started,
        });
      }
    };
    const load = Promise.all(Array.from({ length: 6 }, worker));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const beforeKill = outcomes.length;
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    // Long enough after the loss for the cluster to elect new leaders and the load to go on.
    stopAt = killedAt + 12_000;
    await load;

    expect(beforeKill).toBeGreaterThan(0);
    expect(outcomes.length).toBeGreaterThan(beforeKill);
    const unclean = outcomes.filter((o) => o.status !== 201 && !(CLEAN_FAILURES[o.status] ?? []).includes(o.code ?? ''));
    expect(unclean).toEqual([]);
    const paid = outcomes.filter((o) => o.status === 201 && o.orderStatus === 'paid').map((o) => o.orderId!);
    expect(paid.length).toBeGreaterThan(beforeKill);
    expect(outcomes.filter((o) => o.at > killedAt && o.status === 201).length).toBeGreaterThan(0);
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(60_000);

    // Every answered order's events were stored before its answer: each one reaches its consumers.
    const db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    try {
      const notified = async (kind: string) =>
        Number((await db.query(`SELECT count(DISTINCT "orderId") AS n FROM "${shop.schema('notifications')}"."notifications" WHERE kind = $1 AND "orderId" = ANY($2)`, [kind, paid])).rows[0].n);
      const stillHeld = async () => Number((await db.query(`SELECT count(*) AS n FROM "${shop.schema('inventory')}"."reservations" WHERE "orderId" = ANY($1)`, [paid])).rows[0].n);
      await waitUntil(async () => (await notified('order_paid')) === paid.length && (await notified('order_placed')) === paid.length && (await stillHeld()) === 0, 60_000, 250);
      expect({ placed: await notified('order_placed'), paid: await notified('order_paid'), held: await stillHeld() }).toEqual({ placed: paid.length, paid: paid.length, held: 0 });
    } finally {
      await db.end();
    }
  }, 180_000);
});
