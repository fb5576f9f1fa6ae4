import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startShopApp, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { callRpc, ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app.js';
import { httpClient } from './http-client.js';

const AUTH = { secret: 'gateway-limits-secret-of-at-least-32-chars', issuer: 'shop', audience: 'shop' };
const LIMITS = { perUser: 2, perAddress: 4, windowMs: 60_000 };

describe('gateway login limits', () => {
  let nats: NatsEndpoint;
  let gateway: NestFastifyApplication;
  let base: string;
  let prefix: string;
  let n = 0;
  const { http } = httpClient(() => base);
  /** A client address of its own for each test, told to the gateway by its trusted proxy (loopback). */
  const from = () => ({ 'x-forwarded-for': `203.0.113.${++n}` });
  const login = (username: unknown, password: unknown, headers: Record<string, string>) => http('POST', '/api/login', { body: { username, password }, headers });

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    const config: ShopServiceConfig = {
      nats: { service: 'gateway', servers: nats.url, subjectPrefix: prefix },
      database: { embeddedDir: 'memory' },
      auth: AUTH,
      backdoor: { enabled: false },
      debug: { service: 'gateway', enabled: false },
      instance: 'gateway',
      http: { port: 0, host: '127.0.0.1', trustProxy: ['127.0.0.1'] },
    };
    gateway = await createGatewayApp(config, { logger: false, login: LIMITS });
    await startShopApp(gateway, config);
    base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  }, 30_000);

  afterAll(async () => {
    await gateway?.close();
    await nats?.release();
  });

  it('refuses a user name tried past its limit from one address with 429, even with the right password', async () => {
    const address = from();
    for (let i = 0; i < LIMITS.perUser; i++) expect(await login('ann', 'guess', address)).toMatchObject({ status: 401, body: { code: 'UNAUTHORIZED' } });
    const refused = await login('ann', 'ann-password', address);
    expect(refused).toMatchObject({ status: 429, body: { code: 'TOO_MANY_REQUESTS' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('lets the user in from another address: guessing from one address locks out only that address', async () => {
    const attacker = from();
    for (let i = 0; i <= LIMITS.perUser; i++) await login('bob', 'guess', attacker);
    expect(await login('bob', 'bob-password', from())).toMatchObject({ status: 200, body: { token: expect.stringMatching(/^ey/) } });
  });

  it('refuses one address trying many user names past its limit', async () => {
    const address = from();
    for (let i = 0; i < LIMITS.perAddress; i++) expect((await login(`user${i}`, 'guess', address)).status).toBe(401);
    expect((await login('viewer', 'viewer-password', address)).status).toBe(429);
  });

  it('counts a missing or oversized user name too, answering it 400 while within the limits', async () => {
    const address = from();
    expect(await login(undefined, 'guess', address)).toMatchObject({ status: 400, body: { code: 'VALIDATION_ERROR' } });
    expect(await login('u'.repeat(10_000), 'guess', address)).toMatchObject({ status: 400, body: { code: 'VALIDATION_ERROR' } });
    expect((await login(undefined, 'guess', address)).status).toBe(429);
  });

  it('limits gateway.login over NATS, where every caller counts as one address', async () => {
    const call = () => callRpc({ servers: nats.url, subjectPrefix: prefix }, 'gateway', 'login', { username: 'viewer', password: 'viewer-password' }, { timeoutMs: 5000 });
    for (let i = 0; i < LIMITS.perUser; i++) await expect(call()).resolves.toHaveProperty('token');
    await expect(call()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', remoteName: 'TooManyRequestsError' });
  });
});
