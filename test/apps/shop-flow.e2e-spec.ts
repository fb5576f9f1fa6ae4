import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { TokenService, UnauthorizedError } from '@cliffracer/auth';
import { BackdoorModule } from '@cliffracer/backdoor';
import { CorrelationLogger } from '@cliffracer/correlation';
import { callRpc, waitUntil } from '@cliffracer/testing';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { TcpSession } from '../backdoor/tcp-session.js';
import { httpClient } from './http-client.js';
import { type Shop, SHOP_SERVICES, type ShopService, startShop } from './shop-fixture.js';
import { WsClient } from './ws-client.js';

const AUTH = { secret: 'shop-flow-secret-of-at-least-32-chars!!', issuer: 'shop', audience: 'shop' };
const BACKDOOR_TOKEN = 'shop-flow-backdoor-token';
/** A class of each service that logs while handling an order, and so names the service on a log line. */
const LOGGING_CLASS: Record<ShopService, string> = {
  gateway: 'OrdersHttpController',
  orders: 'OrderBook',
  inventory: 'InventoryController',
  payments: 'PaymentLedger',
  notifications: 'NoticeBoard',
};

type Order = { id: string; status: string; amountCents: number; failure: string | null; chargeId: string | null };

describe('the sample shop, end to end', () => {
  let shop: Shop;
  let debugDir: string;
  const logLines: Array<Record<string, unknown>> = [];
  const sockets: WebSocket[] = [];
  const { http, login } = httpClient(() => shop.base);

  const feed = async (token: string) => {
    const client = await WsClient.open(`${shop.base.replace('http', 'ws')}/ws`, token);
    sockets.push(client.socket);
    await client.subscribe('notifications');
    return client;
  };
  const order = (token: string, body: unknown, correlationId?: string) =>
    http('POST', '/api/orders', { token, body, headers: correlationId === undefined ? {} : { 'x-correlation-id': correlationId } });
  const stock = async (sku: string) => (await http('GET', `/api/stock/${sku}`)).body as { available: number; reserved: number };
  const debugEntries = async (service: ShopService) => {
    const dir = join(debugDir, service);
    const entries: Array<Record<string, unknown>> = [];
    for (const file of (await readdir(dir)).filter((name) => name.endsWith('.jsonl'))) {
      for (const line of (await readFile(join(dir, file), 'utf8')).split('\n').filter(Boolean)) entries.push(JSON.parse(line));
    }
    return entries;
  };

  beforeAll(async () => {
    debugDir = await mkdtemp(join(tmpdir(), 'shop-debug-'));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      for (const line of String(chunk).split('\n').filter((l) => l.startsWith('{'))) logLines.push(JSON.parse(line));
      return true;
    });
    shop = await startShop({
      auth: AUTH,
      debugDir,
      logger: new CorrelationLogger({ json: true, colors: false }),
      orders: { paymentWindowMs: 4000, expirySweepMs: 200 },
      backdoorToken: BACKDOOR_TOKEN,
    });
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await shop?.close();
    jest.restoreAllMocks();
    await rm(debugDir, { recursive: true, force: true });
  });

  it('places and pays an order over HTTP, pushes its notifications, and keeps one correlation ID through every service', async () => {
    const token = await login('ann', 'ann-password');
    const live = await feed(token);
    const before = await stock('KB-101');

    const placed = await order(token, { sku: 'KB-101', quantity: 2, paymentToken: 'tok_visa' }, 'shop-flow-00001');

    expect(placed.status).toBe(201);
    expect(placed.headers.get('x-correlation-id')).toBe('shop-flow-00001');
    const paid = placed.body as unknown as Order;
    expect(paid).toMatchObject({ status: 'paid', amountCents: 9800, failure: null, chargeId: expect.any(String) });
    for (const kind of ['order_placed', 'order_paid']) {
      const frame = await live.frame((f) => (f.data as { kind?: string; orderId?: string }).kind === kind && (f.data as { orderId?: string }).orderId === paid.id);
      expect(frame.correlationId).toBe('shop-flow-00001');
    }
    await waitUntil(async () => (await stock('KB-101')).reserved === before.reserved);
    expect(await stock('KB-101')).toMatchObject({ available: before.available - 2, reserved: before.reserved });

    for (const service of SHOP_SERVICES) {
      const lines = logLines.filter((line) => line.context === LOGGING_CLASS[service] && line.correlationId === 'shop-flow-00001');
      expect({ service, logged: lines.length > 0 }).toEqual({ service, logged: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const service of SHOP_SERVICES) {
      const entries = (await debugEntries(service)).filter((entry) => entry.correlation_id === 'shop-flow-00001');
      expect({ service, debugLogged: entries.length > 0 }).toEqual({ service, debugLogged: true });
    }
    expect((await debugEntries('notifications')).some((e) => e.msg === 'event.handled' && e.correlation_id === 'shop-flow-00001')).toBe(true);
  });

  it('keeps an order whose card is declined awaiting payment, tells the customer, and takes a second payment', async () => {
    const token = await login('ann', 'ann-password');
    const live = await feed(token);

    const placed = await order(token, { sku: 'MS-202', quantity: 1, paymentToken: 'tok_declined' });

    expect(placed.status).toBe(201);
    const declined = placed.body as unknown as Order;
    expect(declined).toMatchObject({ status: 'awaiting_payment', amountCents: 2500, failure: 'payment declined: card declined', chargeId: null });
    const notice = await live.frame((f) => (f.data as { kind?: string; orderId?: string }).kind === 'payment_failed' && (f.data as { orderId?: string }).orderId === declined.id);
    expect((notice.data as { message: string }).message).toContain('card declined');

    const retried = await http('POST', `/api/orders/${declined.id}/pay`, { token, body: { paymentToken: 'tok_visa' } });
    expect(retried).toMatchObject({ status: 200, body: { id: declined.id, status: 'paid', failure: null } });
    await live.frame((f) => (f.data as { kind?: string; orderId?: string }).kind === 'order_paid' && (f.data as { orderId?: string }).orderId === declined.id);
    expect(await http('POST', `/api/orders/${declined.id}/pay`, { token, body: { paymentToken: 'tok_visa' } })).toMatchObject({
      status: 422,
      body: { code: 'ORDER_NOT_PAYABLE' },
    });
  });

  it('cancels an order left unpaid past its window and puts its stock back', async () => {
    const token = await login('ann', 'ann-password');
    const live = await feed(token);
    const before = await stock('MN-303');

    const placed = (await order(token, { sku: 'MN-303', quantity: 1, paymentToken: 'tok_insufficient_funds' })).body as unknown as Order;
    expect(placed.status).toBe('awaiting_payment');
    expect(await stock('MN-303')).toMatchObject({ available: before.available - 1, reserved: before.reserved + 1 });

    await live.frame((f) => (f.data as { kind?: string; orderId?: string }).kind === 'order_cancelled' && (f.data as { orderId?: string }).orderId === placed.id, 10_000);
    expect((await http('GET', `/api/orders/${placed.id}`, { token })).body).toMatchObject({ status: 'cancelled', failure: 'not paid in time' });
    await waitUntil(async () => (await stock('MN-303')).available === before.available);
    expect(await stock('MN-303')).toMatchObject({ available: before.available, reserved: before.reserved });
  });

  it('rejects an order the inventory cannot fill with 422, and stores it as rejected', async () => {
    const token = await login('bob', 'bob-password');
    const { status, body } = await order(token, { sku: 'MN-303', quantity: 99, paymentToken: 'tok_visa' });
    expect(status).toBe(422);
    expect(body).toMatchObject({ code: 'OUT_OF_STOCK' });
    const mine = (await http('GET', '/api/orders', { token })).body as unknown as Order[];
    expect(mine.map((o) => o.status)).toEqual(['rejected']);
  });

  it('refuses orders without a valid token, from users who may not order, and straight over NATS without a token', async () => {
    const body = { sku: 'KB-101', quantity: 1, paymentToken: 'tok_visa' };
    expect(await http('POST', '/api/orders', { body })).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    expect((await http('POST', '/api/orders', { body, token: 'not.a.token' })).status).toBe(401);
    expect(await order(await login('viewer', 'viewer-password'), body)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    const target = { servers: shop.nats.url, subjectPrefix: shop.prefix, errors: [UnauthorizedError] };
    await expect(callRpc(target, 'orders', 'create', body)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('shows each customer only their own orders and notifications', async () => {
    const ann = await login('ann', 'ann-password');
    const bob = await login('bob', 'bob-password');
    const annOrders = (await http('GET', '/api/orders', { token: ann })).body as unknown as Order[];
    expect(annOrders.length).toBeGreaterThanOrEqual(3);
    expect((await http('GET', `/api/orders/${annOrders[0]!.id}`, { token: bob })).status).toBe(404);
    const bobNotices = (await http('GET', '/api/notifications', { token: bob })).body as unknown as Array<{ customer: string }>;
    const annNotices = (await http('GET', '/api/notifications', { token: ann })).body as unknown as Array<{ customer: string; correlationId: string }>;
    expect(bobNotices).toEqual([]);
    expect(annNotices.length).toBeGreaterThanOrEqual(6);
    expect(new Set(annNotices.map((n) => n.customer))).toEqual(new Set(['ann']));
    expect(annNotices.some((n) => n.correlationId === 'shop-flow-00001')).toBe(true);
  });

  it.each(SHOP_SERVICES)('opens a token-guarded backdoor on loopback into %s, which sees its own handlers', async (service) => {
    const address = shop.apps[service].get(BackdoorModule).backdoor!.address()!;
    expect(address.address).toBe('127.0.0.1');
    const session = await TcpSession.open(address.port);
    try {
      await session.until('Token: ');
      session.write(`${BACKDOOR_TOKEN}\n`);
      await session.until('>>> ');
      const inspected = await session.run('inspect_service()');
      expect(inspected).toContain(`service_name: ${service}`);
      expect(inspected).toContain(`rpc ${shop.prefix}.${service}.`);
    } finally {
      session.end();
    }
  });

  it('issues tokens the services themselves accept, so a nested call acts for the same user', async () => {
    const token = await shop.gateway.get(TokenService).issue({ sub: 'carol', roles: ['customer'], permissions: ['orders:write'] });
    const placed = await order(token, { sku: 'KB-101', quantity: 1, paymentToken: 'tok_visa' });
    expect(placed).toMatchObject({ status: 201, body: { status: 'paid' } });
    expect((await http('GET', '/api/orders', { token })).body).toEqual([expect.objectContaining({ id: (placed.body as unknown as Order).id })]);
  });
});
