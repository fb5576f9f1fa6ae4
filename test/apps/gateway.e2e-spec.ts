import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { TokenService, UnauthorizedError } from '@cliffracer/auth';
import { callRpc, EventRecorder, type NatsEndpoint } from '@cliffracer/testing';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { httpClient } from './http-client.js';
import { type Shop, startShop } from './shop-fixture.js';

const AUTH = { secret: 'gateway-e2e-secret-of-at-least-32-chars', issuer: 'shop', audience: 'shop' };

describe('gateway over HTTP', () => {
  let nats: NatsEndpoint;
  let shop: Shop;
  let gateway: NestFastifyApplication;
  let base: string;
  let prefix: string;

  const { http, login } = httpClient(() => base);

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    shop = await startShop({ auth: AUTH });
    ({ nats, gateway, base, prefix } = shop);
  }, 60_000);

  afterAll(async () => {
    await shop?.close();
    jest.restoreAllMocks();
  });

  describe('health and metrics', () => {
    it('answers /health', async () => {
      expect(await http('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok', service: 'gateway' } });
    });

    it('answers /health/detailed with NATS, handlers, uptime and traffic', async () => {
      const { status, body } = await http('GET', '/health/detailed');
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', service: 'gateway', details: { nats: { status: 'up' }, service: { status: 'up', handlers: 1 } } });
      expect(body.details).not.toHaveProperty('database');
      const figures = (body.details as Record<string, Record<string, unknown>>).service!;
      expect(figures.traffic).toMatchObject({ handled: expect.any(Number), ratePerSecond: expect.any(Number) });
      expect(typeof figures.uptimeSeconds).toBe('number');
    });

    it('answers /health/ready of a service with a database once NATS and the database answer', async () => {
      const response = await fetch(`${await shop.apps.orders.getUrl()}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', service: 'orders', details: { nats: { status: 'up' }, database: { status: 'up' } } });
    });

    it('serves Prometheus metrics with per-route counters and latency histograms', async () => {
      await http('GET', '/api/stock/KB-101');
      const { status, body, headers } = await http('GET', '/metrics');
      expect(status).toBe(200);
      expect(headers.get('content-type')).toContain('text/plain');
      expect(body).toContain('cliffracer_http_requests_total{method="GET",route="/api/stock/:sku",status="200",service="gateway"}');
      expect(body).toContain('cliffracer_http_request_duration_seconds_bucket');
    });
  });

  describe('correlation', () => {
    it('returns the X-Correlation-ID it was given, and carries it to the services called', async () => {
      const recorder = await EventRecorder.start(nats.url, `${prefix}.inventory.events.reserved`);
      try {
        const token = await login('ann', 'ann-password');
        const response = await http('POST', '/api/reservations', { token, body: { sku: 'MS-202', quantity: 1 }, headers: { 'x-correlation-id': 'http-flow-0001' } });
        expect(response.status).toBe(201);
        expect(response.headers.get('x-correlation-id')).toBe('http-flow-0001');
        const [event] = await recorder.waitFor(1);
        expect(event!.correlationId).toBe('http-flow-0001');
      } finally {
        await recorder.close();
      }
    });

    it('makes one when none is given', async () => {
      expect((await http('GET', '/health')).headers.get('x-correlation-id')).toMatch(/^[\w-]{8,}$/);
    });
  });

  describe('auth', () => {
    it('logs in over HTTP and over RPC, and refuses a wrong password', async () => {
      expect(await login('ann', 'ann-password')).toMatch(/^ey/);
      await expect(callRpc({ servers: nats.url, subjectPrefix: prefix }, 'gateway', 'login', { username: 'ann', password: 'ann-password' })).resolves.toHaveProperty('token');
      expect(await http('POST', '/api/login', { body: { username: 'ann', password: 'nope' } })).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
      await expect(callRpc({ servers: nats.url, subjectPrefix: prefix, errors: [UnauthorizedError] }, 'gateway', 'login', { username: 'x', password: 'y' })).rejects.toThrow(UnauthorizedError);
    });

    it('answers 401 without a token and with a bad one', async () => {
      expect(await http('POST', '/api/reservations', { body: { sku: 'KB-101', quantity: 1 } })).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
      expect((await http('GET', '/api/me', { token: 'not.a.token' })).status).toBe(401);
    });

    it('answers 403 to a user without the role', async () => {
      const token = await login('viewer', 'viewer-password');
      expect(await http('POST', '/api/reservations', { token, body: { sku: 'KB-101', quantity: 1 } })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    });

    it('answers 403 to a customer without the permission', async () => {
      const token = await gateway.get(TokenService).issue({ sub: 'dan', roles: ['customer'] });
      const { status, body } = await http('POST', '/api/reservations', { token, body: { sku: 'KB-101', quantity: 1 } });
      expect(status).toBe(403);
      expect(body.message).toBe('forbidden: missing permission orders:write');
    });

    it('gives the route the user', async () => {
      const token = await login('ann', 'ann-password');
      expect(await http('GET', '/api/me', { token })).toMatchObject({ status: 200, body: { sub: 'ann', roles: ['customer'] } });
    });
  });

  describe('errors of the services', () => {
    it('answers 422 with the service error when a business rule refuses', async () => {
      const token = await login('ann', 'ann-password');
      const { status, body } = await http('POST', '/api/reservations', { token, body: { sku: 'MN-303', quantity: 500 } });
      expect(status).toBe(422);
      expect(body).toMatchObject({ error: 'OutOfStockError', code: 'OUT_OF_STOCK', correlationId: expect.any(String) });
    });

    it('answers 400 with the failing fields for an invalid body', async () => {
      const token = await login('ann', 'ann-password');
      const { status, body } = await http('POST', '/api/reservations', { token, body: { sku: "x'; DROP TABLE stock;--", quantity: -1 } });
      expect(status).toBe(400);
      expect(body.code).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(body.data)).toContain('sku');
      expect(JSON.stringify(body.data)).toContain('quantity');
    });

    it('answers an unknown SKU with the service\'s error code', async () => {
      expect((await http('GET', '/api/stock/NOPE-1')).body).toMatchObject({ code: 'UNKNOWN_SKU' });
    });
  });
});
