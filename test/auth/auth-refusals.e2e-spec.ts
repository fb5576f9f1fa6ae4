import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuthModule, type AuthUser, CurrentUser, TokenService } from '@cliffracer/auth';
import { ERROR_STATUS_HEADER, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller, Get, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService, type JwtSignOptions } from '@nestjs/jwt';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { WebSocket } from 'ws';

const AUTH = { secret: 'auth-refusals-test-secret-of-32-chars!', issuer: 'cliffracer-tests', audience: 'shop' };

@Controller()
class WhoController {
  @Rpc()
  whoami(@CurrentUser() user: AuthUser) {
    return user.sub;
  }
}

@Controller('api')
class WhoHttpController {
  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return { sub: user.sub };
  }
}

/** A WebSocket door whose messages carry their token (`{ token }`), so the guard alone decides. */
@WebSocketGateway({ path: '/probe' })
class ProbeGateway {
  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() _client: unknown, @MessageBody() _data: unknown) {
    return { event: 'me', data: 'ok' };
  }
}

const jwt = new JwtService({});
const now = () => Math.floor(Date.now() / 1000);
/** A token of the test's secret, issuer and audience, with `options` over them. */
const sign = (payload: Record<string, unknown>, options: JwtSignOptions = {}) =>
  jwt.signAsync(payload, { secret: AUTH.secret, issuer: AUTH.issuer, audience: AUTH.audience, subject: 'ann', expiresIn: 60, ...options });

/** A token signed by hand, for claims jsonwebtoken refuses to sign. */
function forge(claims: Record<string, unknown>): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'ann', iss: AUTH.issuer, aud: AUTH.audience, exp: now() + 60, ...claims })}`;
  return `${body}.${createHmac('sha256', AUTH.secret).update(body).digest('base64url')}`;
}

/** Tokens refused for each reason, and the reason the server logs. */
const REFUSED: Array<[reason: string, token: () => Promise<string | undefined>]> = [
  ['no token', async () => undefined],
  ['token expired', () => sign({}, { expiresIn: -60 })],
  ['bad signature', () => sign({}, { secret: 'another-secret-of-at-least-32-characters' })],
  ['wrong audience', () => sign({}, { audience: 'elsewhere' })],
  ['iat is not a number', async () => forge({ iat: 'yesterday' })],
  ['crit header not supported', () => sign({}, { header: { alg: 'HS256', crit: ['exp'] } })],
  ['lifetime too long', () => sign({}, { expiresIn: 10 * 365 * 86_400 })],
];

describe('what a refused caller learns', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let quiet: TestApp;
  let candid: TestApp;
  let raw: NatsConnection;
  let web: NestFastifyApplication;
  let base: string;
  let warn: jest.SpiedFunction<Logger['warn']>;
  const warnings = () => warn.mock.calls.map(([line]) => String(line));

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    nats = await ensureNats();
    prefix = uniquePrefix();
    const service = (name: string, revealFailureReasons?: boolean) =>
      createTestApp({
        nats: { service: name, servers: nats.url, subjectPrefix: prefix },
        imports: [AuthModule.forRoot({ ...AUTH, revealFailureReasons })],
        controllers: [WhoController],
        logger: false,
      });
    quiet = await service('quiet');
    candid = await service('candid', true);
    raw = await connect({ servers: nats.url });
    web = await NestFactory.create<NestFastifyApplication>(
      { module: class WebModule {}, imports: [AuthModule.forRoot(AUTH)], controllers: [WhoHttpController], providers: [ProbeGateway] },
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
    await candid?.close();
    await quiet?.close();
    await nats?.release();
    jest.restoreAllMocks();
  });

  async function rawCall(service: string, token: string | undefined) {
    const h = natsHeaders();
    if (token !== undefined) h.set('Authorization', `Bearer ${token}`);
    const reply = await raw.request(`${prefix}.${service}.whoami`, '{}', { headers: h, timeout: 2000 });
    return { status: reply.headers?.get(ERROR_STATUS_HEADER), body: JSON.parse(reply.string()) as unknown };
  }

  describe('over NATS', () => {
    it('serves a valid token', async () => {
      await expect(rawCall('quiet', await quiet.app.get(TokenService).issue({ sub: 'ann' }))).resolves.toEqual({ status: undefined, body: 'ann' });
    });

    it.each(REFUSED)('tells a caller refused for %s only "unauthorized", and logs the reason in one line without the token', async (reason, make) => {
      const token = await make();
      warn.mockClear();
      const reply = await rawCall('quiet', token);
      expect(reply).toEqual({ status: '401', body: { name: 'UnauthorizedError', message: 'unauthorized', code: 'UNAUTHORIZED' } });
      expect(warnings()).toEqual([`refused rpc WhoController.whoami: ${reason}`]);
    });

    it('tells the reason too when revealFailureReasons is on', async () => {
      const reply = await rawCall('candid', await sign({}, { expiresIn: -60 }));
      expect(reply).toEqual({
        status: '401',
        body: { name: 'UnauthorizedError', message: 'unauthorized: token expired', code: 'UNAUTHORIZED', data: { reason: 'token expired' } },
      });
    });
  });

  describe('over HTTP', () => {
    it.each(REFUSED)('answers a request refused for %s with a bare 401, and logs the reason', async (reason, make) => {
      const token = await make();
      warn.mockClear();
      const response = await fetch(`${base}/api/me`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'UNAUTHORIZED', message: 'unauthorized' });
      expect(warnings()).toEqual([`refused http WhoHttpController.me: ${reason}`]);
    });
  });

  describe('over WebSocket', () => {
    it('answers a message with an expired token with a bare exception, and logs the reason', async () => {
      const token = await sign({}, { expiresIn: -60 });
      warn.mockClear();
      const socket = new WebSocket(`${base.replace('http', 'ws')}/probe`);
      try {
        await once(socket, 'open');
        socket.send(JSON.stringify({ event: 'whoami', data: { token } }));
        const [frame] = (await once(socket, 'message')) as [Buffer];
        expect(JSON.parse(String(frame))).toEqual({ event: 'exception', data: { status: 'error', code: 'UNAUTHORIZED', message: 'unauthorized' } });
        expect(warnings()).toEqual(['refused ws ProbeGateway.whoami: token expired']);
      } finally {
        socket.terminate();
      }
    });
  });
});
