import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { addressTracker, CallerThrottlerGuard, createHttpService, HttpFrontDoorModule, userNameTracker } from '@cliffracer/http';
import { NatsTransportModule, Rpc } from '@cliffracer/nats-transport';
import { callRpc, ensureNats, type NatsEndpoint, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Body, Controller, type DynamicModule, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Throttle, ThrottlerModule } from '@nestjs/throttler';

/** Tries per user name from one address, and tries from one address, within a minute. */
const PER_USER = 2;
const PER_ADDRESS = 4;

/** A login door over HTTP and NATS; it lets everyone in, so only the limits refuse. */
@Controller()
@UseGuards(CallerThrottlerGuard)
class LoginController {
  @Post('login')
  @HttpCode(200)
  loginOverHttp(@Body() body: { username?: unknown }) {
    return { ok: true, length: typeof body?.username === 'string' ? body.username.length : 0 };
  }

  /** The same door with a one-try window of a second, to see a window end (and room for the polls that wait for it). */
  @Post('brief-login')
  @HttpCode(200)
  @Throttle({ user: { limit: 1, ttl: 1000 }, address: { limit: 1000, ttl: 60_000 } })
  briefLogin() {
    return { ok: true };
  }

  @Rpc()
  login(@Payload() _credentials: unknown) {
    return { ok: true };
  }
}

@Module({})
class LoginModule {
  static forRoot(nats: { servers: string; subjectPrefix: string }, trustClientAddressHeader: boolean): DynamicModule {
    return {
      module: LoginModule,
      imports: [
        NatsTransportModule.forRoot({ service: 'doors', ...nats }),
        HttpFrontDoorModule.forRoot({ service: 'doors' }),
        ThrottlerModule.forRoot({
          throttlers: [
            { name: 'address', ttl: 60_000, limit: PER_ADDRESS, getTracker: addressTracker({ trustClientAddressHeader }) },
            { name: 'user', ttl: 60_000, limit: PER_USER, getTracker: userNameTracker({ trustClientAddressHeader }) },
          ],
        }),
      ],
      controllers: [LoginController],
    };
  }
}

interface Door {
  app: NestFastifyApplication;
  base: string;
  prefix: string;
}

/** One door; `trusting` believes X-Forwarded-For from loopback and X-Client-Address over NATS. */
async function openDoor(nats: NatsEndpoint, trusting: boolean): Promise<Door> {
  const prefix = uniquePrefix();
  const options = { servers: nats.url, subjectPrefix: prefix };
  const app = await createHttpService(LoginModule.forRoot(options, trusting), undefined, { logger: false, ...(trusting && { trustProxy: '127.0.0.1' }) });
  await app.startAllMicroservices();
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, prefix, base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

async function post(door: Door, body: unknown, headers: Record<string, string> = {}, path = '/login') {
  const response = await fetch(`${door.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, retryAfter: response.headers.get('retry-after') };
}

describe('CallerThrottlerGuard', () => {
  let nats: NatsEndpoint;
  let trusting: Door;
  let untrusting: Door;
  let n = 0;
  /** An address of the documentation range no other test uses. */
  const address = () => `198.51.100.${++n}`;

  beforeAll(async () => {
    nats = await ensureNats();
    trusting = await openDoor(nats, true);
    untrusting = await openDoor(nats, false);
  }, 30_000);

  afterAll(async () => {
    await trusting?.app.close();
    await untrusting?.app.close();
    await nats?.release();
  });

  describe('over HTTP', () => {
    it('lets a user name be tried its limit of times from one address, then answers 429 with Retry-After', async () => {
      const from = { 'x-forwarded-for': address() };
      for (let i = 0; i < PER_USER; i++) expect((await post(trusting, { username: 'ann' }, from)).status).toBe(200);
      const refused = await post(trusting, { username: 'ann' }, from);
      expect(refused).toMatchObject({ status: 429, body: { statusCode: 429, code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/^too many requests, retry in \d+ s$/) } });
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    });

    it('counts another user name, and the same one from another address, apart', async () => {
      const first = { 'x-forwarded-for': address() };
      for (let i = 0; i < PER_USER; i++) await post(trusting, { username: 'bob' }, first);
      expect((await post(trusting, { username: 'bob' }, first)).status).toBe(429);
      // Whoever guessed bob's password from there has not locked bob out elsewhere.
      expect((await post(trusting, { username: 'bob' }, { 'x-forwarded-for': address() })).status).toBe(200);
      expect((await post(trusting, { username: 'carol' }, first)).status).toBe(200);
    });

    it('refuses one address trying many user names past its own limit', async () => {
      const from = { 'x-forwarded-for': address() };
      for (let i = 0; i < PER_ADDRESS; i++) expect((await post(trusting, { username: `user-${i}` }, from)).status).toBe(200);
      expect((await post(trusting, { username: 'someone-else' }, from))).toMatchObject({ status: 429, body: { code: 'TOO_MANY_REQUESTS' } });
    });

    it('compares user names case-insensitively', async () => {
      const from = { 'x-forwarded-for': address() };
      await post(trusting, { username: 'Dave' }, from);
      await post(trusting, { username: 'DAVE' }, from);
      expect((await post(trusting, { username: 'dave' }, from)).status).toBe(429);
    });

    it('lets the user try again once the window has passed', async () => {
      const from = { 'x-forwarded-for': address() };
      expect((await post(trusting, { username: 'erin' }, from, '/brief-login')).status).toBe(200);
      expect((await post(trusting, { username: 'erin' }, from, '/brief-login')).status).toBe(429);
      await waitUntil(async () => (await post(trusting, { username: 'erin' }, from, '/brief-login')).status === 200, 10_000, 300);
    });

    describe('hostile callers', () => {
      it('does not believe X-Forwarded-For from a client when no proxy is trusted', async () => {
        // Every request claims a new address; the door counts its real peer, 127.0.0.1.
        const statuses = [];
        for (let i = 0; i < PER_USER + 1; i++) statuses.push((await post(untrusting, { username: 'frank' }, { 'x-forwarded-for': address() })).status);
        expect(statuses).toEqual([200, 200, 429]);
      });

      it('counts a huge user name, a missing one and a non-string one as one name: no escape, no 500', async () => {
        const from = { 'x-forwarded-for': address() };
        expect(await post(trusting, { username: 'x'.repeat(100_000) }, from)).toMatchObject({ status: 200, body: { length: 100_000 } });
        expect((await post(trusting, { username: 'y'.repeat(100_000) }, from)).status).toBe(200);
        expect((await post(trusting, {}, from)).status).toBe(429);
        expect((await post(trusting, { username: { $ne: '' } }, { 'x-forwarded-for': address() })).status).toBe(200);
      });

      it('counts a body that is not an object by address alone', async () => {
        const from = { 'x-forwarded-for': address() };
        expect((await post(trusting, ['ann'], from)).status).toBe(200);
        expect((await post(trusting, 'ann', from)).status).toBe(200);
      });
    });
  });

  describe('over NATS', () => {
    const login = (door: Door, username: unknown, headers: Record<string, string> = {}) =>
      callRpc({ servers: nats.url, subjectPrefix: door.prefix }, 'doors', 'login', { username }, { timeoutMs: 5000, headers });

    it('lets a user name be tried its limit of times, then refuses with TOO_MANY_REQUESTS', async () => {
      const from = { 'X-Client-Address': address() };
      for (let i = 0; i < PER_USER; i++) await expect(login(trusting, 'gina', from)).resolves.toEqual({ ok: true });
      await expect(login(trusting, 'gina', from)).rejects.toMatchObject({
        remoteName: 'TooManyRequestsError',
        code: 'TOO_MANY_REQUESTS',
        message: expect.stringMatching(/^too many requests, retry in \d+ s$/),
        data: { retryAfterSec: expect.any(Number) },
      });
      await expect(login(trusting, 'hank', from)).resolves.toEqual({ ok: true });
    });

    it('counts callers apart by the X-Client-Address a trusted front door forwards', async () => {
      const first = { 'X-Client-Address': address() };
      for (let i = 0; i < PER_USER; i++) await login(trusting, 'ivan', first);
      await expect(login(trusting, 'ivan', first)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      await expect(login(trusting, 'ivan', { 'X-Client-Address': address() })).resolves.toEqual({ ok: true });
    });

    describe('hostile callers', () => {
      // The only test on the untrusting door over NATS: all its callers share one address count.
      it('ignores X-Client-Address unless told to trust it: every NATS caller counts as one', async () => {
        for (let i = 0; i < PER_USER; i++) await login(untrusting, 'judy', { 'X-Client-Address': address() });
        await expect(login(untrusting, 'judy', { 'X-Client-Address': address() })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      });

      it('counts an X-Client-Address that is not one address as the unknown caller', async () => {
        for (let i = 0; i < PER_USER; i++) await login(trusting, 'kate', { 'X-Client-Address': `${address()}, 10.0.0.1` });
        await expect(login(trusting, 'kate', { 'X-Client-Address': 'not-an-address' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
        await expect(login(trusting, 'kate')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      });

      it('counts a huge and a missing user name as one name', async () => {
        const from = { 'X-Client-Address': address() };
        await expect(login(trusting, 'z'.repeat(100_000), from)).resolves.toEqual({ ok: true });
        await expect(login(trusting, undefined, from)).resolves.toEqual({ ok: true });
        await expect(login(trusting, 42, from)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
      });
    });
  });
});
