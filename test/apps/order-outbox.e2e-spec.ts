import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsServerProcess, waitUntil } from '@cliffracer/testing';
import pg from 'pg';
import { httpClient } from './http-client.js';
import { POSTGRES_URL, type Shop, SHOP_SERVICES, startShop } from './shop-fixture.js';

const AUTH = { secret: 'order-outbox-secret-of-at-least-32-chars', issuer: 'shop', audience: 'shop' };

type Order = { id: string; status: string };

describe('the orders outbox', () => {
  let nats: NatsServerProcess;
  let shop: Shop;
  let db: pg.Client;
  const { http, login } = httpClient(() => shop.base);

  const stock = async (sku: string) => (await http('GET', `/api/stock/${sku}`)).body as { available: number; reserved: number };
  const one = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0] as Record<string, string> | undefined;
  const waitingEvents = async (orderId: string) =>
    Number((await one(`SELECT count(*) AS n FROM "${shop.schema('orders')}"."order_outbox" WHERE "orderId" = $1`, [orderId]))!.n);
  const statusOf = async (orderId: string) => (await one(`SELECT status FROM "${shop.schema('orders')}"."orders" WHERE id = $1`, [orderId]))?.status;
  const notices = async (orderId: string, kind: string) =>
    Number((await one(`SELECT count(*) AS n FROM "${shop.schema('notifications')}"."notifications" WHERE "orderId" = $1 AND kind = $2`, [orderId, kind]))!.n);

  beforeAll(async () => {
    // A NATS server of this test's own, to stop and start again under the running shop.
    nats = await NatsServerProcess.start();
    shop = await startShop({
      auth: AUTH,
      servers: Object.fromEntries(SHOP_SERVICES.map((service) => [service, [nats.url]])),
      orders: { paymentWindowMs: 1500, expirySweepMs: 200, outboxRelayMs: 200, eventTimeoutMs: 500 },
    });
    db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
  }, 90_000);

  afterAll(async () => {
    await db?.end();
    await shop?.close();
    await nats?.stop();
  });

  it('announces an order cancelled while NATS is down once NATS is back: its stock goes back and its customer is told', async () => {
    const token = await login('ann', 'ann-password');
    const before = await stock('MN-303');
    const placed = (await http('POST', '/api/orders', { token, body: { sku: 'MN-303', quantity: 1, paymentToken: 'tok_insufficient_funds' } })).body as unknown as Order;
    expect(placed.status).toBe('awaiting_payment');
    // `created` and `payment_failed` went out with the changes they announce.
    expect(await waitingEvents(placed.id)).toBe(0);

    await nats.kill();
    // The expiry sweep needs no NATS: the order is cancelled, and its announcement waits.
    await waitUntil(async () => (await statusOf(placed.id)) === 'cancelled', 10_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await waitingEvents(placed.id)).toBe(1);
    expect(await notices(placed.id, 'order_cancelled')).toBe(0);

    await nats.restart();
    await waitUntil(async () => (await waitingEvents(placed.id)) === 0, 30_000, 100);
    await waitUntil(async () => (await notices(placed.id, 'order_cancelled')) === 1, 30_000, 100);
    await waitUntil(async () => (await stock('MN-303')).available === before.available, 30_000, 200);
    expect(await stock('MN-303')).toMatchObject({ available: before.available, reserved: before.reserved });
    expect(await notices(placed.id, 'order_placed')).toBe(1);
    expect(await notices(placed.id, 'payment_failed')).toBe(1);
  }, 90_000);
});
