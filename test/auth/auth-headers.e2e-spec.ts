import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuthModule, type AuthUser, CurrentUser, Public, TokenService } from '@cliffracer/auth';
import { ERROR_STATUS_HEADER, NatsTransportModule, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller, Get, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { once } from 'node:events';
import { type OutgoingHttpHeaders, request } from 'node:http';
import { WebSocket } from 'ws';
import { ShopEventsGateway } from '../../apps/gateway/src/events/shop-events.gateway.js';

const AUTH = { secret: 'auth-headers-test-secret-of-32-chars!!', issuer: 'cliffracer-tests', audience: 'shop' };

@Controller()
class WhoController {
  @Rpc()
  whoami(@CurrentUser() user: AuthUser) {
    return user.sub;
  }

  @Public()
  @Rpc()
  ping() {
    return 'pong';
  }
}

@Controller('api')
class WhoHttpController {
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return { sub: user.sub };
  }
}

/** A GET with any headers, repeated ones included (fetch would fold them into one). */
function get(url: string, headers: OutgoingHttpHeaders): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the Authorization header, once and only once', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let service: TestApp;
  let raw: NatsConnection;
  let web: NestFastifyApplication;
  let base: string;
  let tokens: TokenService;
  let warn: jest.SpiedFunction<Logger['warn']>;

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    nats = await ensureNats();
    prefix = uniquePrefix();
    service = await createTestApp({
      nats: { service: 'who', servers: nats.url, subjectPrefix: prefix },
      imports: [AuthModule.forRoot(AUTH)],
      controllers: [WhoController],
      logger: false,
    });
    tokens = service.app.get(TokenService);
    raw = await connect({ servers: nats.url });
    web = await NestFactory.create<NestFastifyApplication>(
      {
        module: class WebModule {},
        imports: [NatsTransportModule.forRoot({ service: 'gateway', servers: nats.url, subjectPrefix: prefix }), AuthModule.forRoot(AUTH)],
        controllers: [WhoHttpController],
        providers: [ShopEventsGateway],
      },
      new FastifyAdapter(),
      { logger: false },
    );
    web.useWebSocketAdapter(new WsAdapter(web));
    await web.listen(0, '127.0.0.1');
    base = await web.getUrl();
  });

  afterAll(async () => {
    await web?.close();
    await raw?.close();
    await service?.close();
    await nats?.release();
    jest.restoreAllMocks();
  });

  const bearer = async (sub: string) => `Bearer ${await tokens.issue({ sub })}`;

  describe('over NATS', () => {
    async function rawCall(method: string, ...authorization: Array<[name: string, value: string]>) {
      const h = natsHeaders();
      for (const [name, value] of authorization) h.append(name, value);
      const reply = await raw.request(`${prefix}.who.${method}`, '{}', { headers: h, timeout: 2000 });
      return { status: reply.headers?.get(ERROR_STATUS_HEADER), body: JSON.parse(reply.string()) as unknown };
    }

    it('reads a header named authorization in lower case', async () => {
      await expect(rawCall('whoami', ['authorization', await bearer('lower')])).resolves.toEqual({ status: undefined, body: 'lower' });
    });

    it('reads a header named AUTHORIZATION in upper case', async () => {
      await expect(rawCall('whoami', ['AUTHORIZATION', await bearer('upper')])).resolves.toEqual({ status: undefined, body: 'upper' });
    });

    it('refuses two Authorization headers with 401, though each token is valid, saying only "unauthorized"', async () => {
      const reply = await rawCall('whoami', ['Authorization', await bearer('ann')], ['Authorization', await bearer('eve')]);
      expect(reply).toEqual({ status: '401', body: { name: 'UnauthorizedError', message: 'unauthorized', code: 'UNAUTHORIZED' } });
    });

    it('refuses two Authorization headers in different casings with 401', async () => {
      const reply = await rawCall('whoami', ['Authorization', await bearer('ann')], ['authorization', await bearer('eve')]);
      expect(reply).toMatchObject({ status: '401', body: { name: 'UnauthorizedError', code: 'UNAUTHORIZED' } });
    });

    it('refuses an Authorization header that is not Bearer with 401', async () => {
      const reply = await rawCall('whoami', ['Authorization', 'Basic YW5uOnB3']);
      expect(reply).toMatchObject({ status: '401', body: { code: 'UNAUTHORIZED' } });
    });

    it('logs the reason of refusals in one line per burst, without the token', async () => {
      const token = await bearer('ann');
      await rawCall('whoami', ['Authorization', token], ['AUTHORIZATION', token]);
      // The tests above were refused for the same reason within the interval: one line for all.
      const lines = warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('duplicate Authorization header'));
      expect(lines).toEqual(['refused rpc WhoController.whoami: duplicate Authorization header']);
      expect(lines[0]).not.toContain(token.replace(/^Bearer /, ''));
    });

    it('still serves a public handler to a caller with two headers', async () => {
      const reply = await rawCall('ping', ['Authorization', await bearer('ann')], ['Authorization', await bearer('eve')]);
      expect(reply).toEqual({ status: undefined, body: 'pong' });
    });
  });

  describe('over HTTP', () => {
    it('serves one Authorization header', async () => {
      await expect(get(`${base}/api/me`, { authorization: await bearer('ann') })).resolves.toEqual({ status: 200, body: { sub: 'ann' } });
    });

    it('refuses two Authorization headers with 401, though each token is valid, saying only "unauthorized"', async () => {
      const reply = await get(`${base}/api/me`, { Authorization: [await bearer('ann'), await bearer('eve')] });
      expect(reply).toEqual({ status: 401, body: { statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED', message: 'unauthorized' } });
    });
  });

  describe('over WebSocket (the gateway checks the handshake)', () => {
    /**
     * The gateway's first answer to a subscription: a frame's event, or the close code. A
     * guard's `exception` frame is passed over: the subscription may race the handshake check.
     */
    async function answer(headers: Record<string, string | string[]>): Promise<{ event?: string; close?: number }> {
      // ws hands its headers to node:http, which sends a list as repeated header lines.
      const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: headers as Record<string, string> });
      try {
        return await new Promise((resolve, reject) => {
          socket.on('error', reject);
          socket.on('close', (code: number) => resolve({ close: code }));
          socket.on('message', (frame: Buffer) => {
            const { event } = JSON.parse(String(frame)) as { event?: string };
            if (event !== 'exception') resolve({ event });
          });
          socket.on('open', () => socket.send(JSON.stringify({ event: 'subscribe', data: { topic: 'nothing' } })));
        });
      } finally {
        socket.terminate();
      }
    }

    it('keeps a connection opened with one Authorization header', async () => {
      const token = await tokens.issue({ sub: 'ann', roles: ['customer'], permissions: ['events:read'] });
      // An unknown topic: the gateway answers it, so the connection was kept.
      await expect(answer({ authorization: `Bearer ${token}` })).resolves.toEqual({ event: 'error' });
    });

    it('closes a connection opened with two Authorization headers with 4401, and logs why', async () => {
      const token = await tokens.issue({ sub: 'ann', roles: ['customer'], permissions: ['events:read'] });
      warn.mockClear();
      await expect(answer({ authorization: [`Bearer ${token}`, `Bearer ${token}`] })).resolves.toEqual({ close: 4401 });
      expect(warn.mock.calls.map(([line]) => line)).toContain('refused ws ShopEventsGateway.connect: duplicate Authorization header');
    });
  });
});
