import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuthFailures, AuthModule, type AuthUser, CurrentUser, ForbiddenError, Permissions, Public, Roles, TokenService, UnauthorizedError } from '@cliffracer/auth';
import { CorrelationContext } from '@cliffracer/correlation';
import { NatsClient, Rpc } from '@cliffracer/nats-transport';
import { callRpc, createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Payload } from '@nestjs/microservices';

const AUTH = { secret: 'rpc-auth-test-secret-of-32-characters!!', issuer: 'cliffracer-tests', audience: 'shop' };

@Controller()
class FrontController {
  constructor(private readonly client: NatsClient) {}

  @Roles('customer')
  @Rpc()
  place(@Payload() order: { id: string }) {
    return this.client.call('back', 'work', order);
  }

  @Public()
  @Rpc()
  ping() {
    return 'pong';
  }

  @Rpc()
  whoami(@CurrentUser() user: AuthUser) {
    return user.sub;
  }
}

@Controller()
class BackController {
  @Permissions('orders:write')
  @Rpc()
  work(@Payload() order: { id: string }, @CurrentUser() user: AuthUser) {
    return { id: order.id, by: user.sub };
  }
}

describe('JWT auth on RPC handlers', () => {
  let nats: NatsEndpoint;
  let front: TestApp;
  let back: TestApp;
  let tokens: TokenService;
  let prefix: string;
  const target = () => ({ servers: nats.url, subjectPrefix: prefix, errors: [UnauthorizedError, ForbiddenError] });
  const withToken = <T>(token: string, call: () => Promise<T>) =>
    CorrelationContext.run(`auth-${Math.random()}`, () => {
      CorrelationContext.forward('Authorization', `Bearer ${token}`);
      return call();
    });

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    nats = await ensureNats();
    prefix = uniquePrefix();
    const app = (service: string, controllers: Array<new (...args: never[]) => unknown>) =>
      createTestApp({ nats: { service, servers: nats.url, subjectPrefix: prefix }, imports: [AuthModule.forRoot(AUTH)], controllers, logger: false });
    front = await app('front', [FrontController]);
    back = await app('back', [BackController]);
    tokens = front.app.get(TokenService);
  });

  afterAll(async () => {
    await front?.close();
    await back?.close();
    await nats?.release();
    jest.restoreAllMocks();
  });

  it('serves a caller with the role, and the nested call keeps the user', async () => {
    const token = await tokens.issue({ sub: 'ann', roles: ['customer'], permissions: ['orders:write'] });
    await expect(withToken(token, () => callRpc(target(), 'front', 'place', { id: 'o-1' }))).resolves.toEqual({ id: 'o-1', by: 'ann' });
  });

  it('gives the handler the user', async () => {
    const token = await tokens.issue({ sub: 'bob' });
    await expect(withToken(token, () => callRpc(target(), 'front', 'whoami'))).resolves.toBe('bob');
  });

  it('refuses a call without a token with UnauthorizedError', async () => {
    await expect(callRpc(target(), 'front', 'place', { id: 'o-2' })).rejects.toThrow(UnauthorizedError);
  });

  it('refuses an expired token, telling the caller only "unauthorized" and the log why', async () => {
    const token = await new JwtService({}).signAsync(
      { roles: ['customer'] },
      { secret: AUTH.secret, issuer: AUTH.issuer, audience: AUTH.audience, subject: 'ann', expiresIn: -60 },
    );
    const warn = jest.mocked(Logger.prototype.warn);
    warn.mockClear();
    const refusal = await withToken(token, () => callRpc(target(), 'front', 'place', { id: 'o-3' })).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnauthorizedError);
    expect(refusal).toMatchObject({ message: 'unauthorized', code: 'UNAUTHORIZED', data: undefined });
    expect(warn.mock.calls.map(([line]) => line)).toEqual(['refused rpc FrontController.place: token expired']);
  });

  it('refuses a caller without the role with ForbiddenError', async () => {
    const token = await tokens.issue({ sub: 'eve', roles: ['visitor'] });
    await expect(withToken(token, () => callRpc(target(), 'front', 'place', { id: 'o-4' }))).rejects.toThrow(ForbiddenError);
  });

  it('refuses a nested call whose user lacks the permission', async () => {
    const token = await tokens.issue({ sub: 'cat', roles: ['customer'] });
    await expect(withToken(token, () => callRpc(target(), 'front', 'place', { id: 'o-5' }))).rejects.toThrow('forbidden: missing permission orders:write');
  });

  it('lets anyone reach a public handler, with or without a valid token', async () => {
    await expect(callRpc(target(), 'front', 'ping')).resolves.toBe('pong');
    await expect(withToken('garbage', () => callRpc(target(), 'front', 'ping'))).resolves.toBe('pong');
  });

  it('counts the refusals per reason', () => {
    const failures = front.app.get(AuthFailures).snapshot();
    expect(failures['no token']).toBeGreaterThanOrEqual(1);
    expect(failures['token expired']).toBe(1);
    expect(failures.forbidden).toBe(1);
  });
});
