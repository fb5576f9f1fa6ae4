import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { TokenService } from '@cliffracer/auth';
import { RawNatsSocket } from '@cliffracer/testing';
import { Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { once } from 'node:events';
import type { WebSocket } from 'ws';
import { type Shop, startShop } from './shop-fixture.js';
import { WsClient } from './ws-client.js';

const AUTH = { secret: 'gateway-ws-secret-of-at-least-32-chars!', issuer: 'shop', audience: 'shop' };

describe('gateway over WebSocket', () => {
  let shop: Shop;
  let gateway: NestFastifyApplication;
  let base: string;
  let tokens: TokenService;
  const sockets: WebSocket[] = [];
  const open = async (token?: string) => {
    const client = await WsClient.open(`${base.replace('http', 'ws')}/ws`, token);
    sockets.push(client.socket);
    return client;
  };

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    shop = await startShop({ auth: AUTH });
    ({ gateway, base } = shop);
    tokens = gateway.get(TokenService);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await shop?.close();
    jest.restoreAllMocks();
  });

  it('closes a connection without a valid token with 4401', async () => {
    const client = await open();
    const [code] = (await once(client.socket, 'close')) as [number];
    expect(code).toBe(4401);
    const forged = await open('not.a.token');
    expect(((await once(forged.socket, 'close')) as [number])[0]).toBe(4401);
  });

  it('pushes the events of a subscribed topic, with their correlation ID', async () => {
    const client = await open(await tokens.issue({ sub: 'ann', roles: ['customer'], permissions: ['events:read'] }));
    client.send('subscribe', { topic: 'reservations' });
    await client.frame((f) => f.event === 'subscribed');
    const token = await tokens.issue({ sub: 'ann', roles: ['customer'], permissions: ['orders:write'] });
    const response = await fetch(`${base}/api/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-correlation-id': 'ws-flow-00001' },
      body: JSON.stringify({ sku: 'KB-101', quantity: 2 }),
    });
    expect(response.status).toBe(201);
    const pushed = await client.frame((f) => f.event === 'reservations');
    expect(pushed).toMatchObject({ correlationId: 'ws-flow-00001', data: { sku: 'KB-101', quantity: 2 } });
  });

  it('stops the feed of a connection once its token has expired, closing it with 4401', async () => {
    // Valid for two seconds: accepted at the handshake and for the subscription, expired at the event.
    const shortLived = await new JwtService({}).signAsync(
      { roles: ['customer'], permissions: ['events:read'] },
      { secret: AUTH.secret, issuer: AUTH.issuer, audience: AUTH.audience, subject: 'ann', expiresIn: 2, algorithm: 'HS256' },
    );
    const client = await open(shortLived);
    await client.subscribe('reservations');
    const closed = once(client.socket, 'close');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const token = await tokens.issue({ sub: 'bob', roles: ['customer'], permissions: ['orders:write'] });
    const response = await fetch(`${base}/api/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ sku: 'KB-101', quantity: 1 }),
    });
    expect(response.status).toBe(201);
    expect(((await closed) as [number])[0]).toBe(4401);
    expect(client.frames.filter((f) => f.event === 'reservations')).toEqual([]);
  });

  it('drops a feed event with a malformed header block, and still answers calls and pushes the next event', async () => {
    const client = await open(await tokens.issue({ sub: 'ann', roles: ['customer'], permissions: ['events:read'] }));
    await client.subscribe('reservations');
    await using raw = await RawNatsSocket.open(shop.nats.url);
    // A header name with a space: nats.js throws on reading such headers, in the subscription callback.
    raw.hpub(`${shop.prefix}.inventory.events.reserved`, undefined, 'NATS/1.0\r\nBad Name: 1\r\n\r\n', '{"sku":"forged"}');
    await raw.ping();
    const response = await fetch(`${base}/api/stock/KB-101`);
    expect(response.status).toBe(200);
    raw.pub(`${shop.prefix}.inventory.events.reserved`, undefined, '{"sku":"after"}');
    await raw.ping();
    await client.frame((f) => f.event === 'reservations' && (f.data as { sku?: string }).sku === 'after');
  });

  it('refuses a subscription to a user without the role with a FORBIDDEN exception', async () => {
    const client = await open(await tokens.issue({ sub: 'viewer', roles: ['visitor'] }));
    client.send('subscribe', { topic: 'reservations' });
    expect(await client.frame((f) => f.event === 'exception')).toMatchObject({ data: { status: 'error', code: 'FORBIDDEN' } });
  });

  it('refuses a subscription to a customer without the permission', async () => {
    const client = await open(await tokens.issue({ sub: 'dan', roles: ['customer'] }));
    client.send('subscribe', { topic: 'reservations' });
    expect(await client.frame((f) => f.event === 'exception')).toMatchObject({ data: { code: 'FORBIDDEN', message: 'forbidden: missing permission events:read' } });
  });

  it('answers an unknown topic with an error event', async () => {
    const client = await open(await tokens.issue({ sub: 'ann', roles: ['customer'], permissions: ['events:read'] }));
    client.send('subscribe', { topic: 'secrets' });
    expect(await client.frame((f) => f.event === 'error')).toMatchObject({ data: { code: 'UNKNOWN_TOPIC' } });
  });
});
