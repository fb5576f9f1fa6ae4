import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { errors, type NatsConnection } from '@nats-io/transport-node';
import { NatsUnreachableError } from './errors/nats-unreachable.error.js';
import { TransportError } from './errors/transport.error.js';
import { connectionOptions, connectWithRetry, refusal, retryDelayMs } from './nats-connection.js';
import { normalizeNatsTransportOptions } from './nats-transport.options.js';

const retry = { maxWaitMs: 2000, initialDelayMs: 200, maxDelayMs: 800 };
const options = { servers: ['nats://a:4222', 'nats://b:4222'], connectRetry: retry };
const connection = {} as NatsConnection;

function recordingLogger(): LoggerService & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, log: () => undefined, error: () => undefined, warn: (message: string) => warnings.push(message) };
}

function refused(): Error {
  return new errors.ConnectionError('connection refused');
}

describe('retryDelayMs', () => {
  it('doubles from initialDelayMs up to maxDelayMs', () => {
    expect([1, 2, 3, 4, 60].map((attempt) => retryDelayMs(attempt, retry))).toEqual([200, 400, 800, 800, 800]);
  });
});

describe('connectWithRetry', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('retries while NATS refuses, logging each attempt with its wait, and resolves once it connects', async () => {
    const logger = recordingLogger();
    let calls = 0;
    const open = async () => {
      calls += 1;
      if (calls < 4) throw refused();
      return connection;
    };
    const connecting = connectWithRetry(open, options, logger);
    await jest.advanceTimersByTimeAsync(200 + 400 + 800);
    await expect(connecting).resolves.toBe(connection);
    expect(logger.warnings).toEqual([
      'NATS not reachable at nats://a:4222,nats://b:4222 (attempt 1), retrying in 200ms',
      'NATS not reachable at nats://a:4222,nats://b:4222 (attempt 2), retrying in 400ms',
      'NATS not reachable at nats://a:4222,nats://b:4222 (attempt 3), retrying in 800ms',
    ]);
  });

  it('retries a server name that does not resolve yet', async () => {
    let calls = 0;
    const open = async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('getaddrinfo ENOTFOUND nats'), { code: 'ENOTFOUND' });
      return connection;
    };
    const connecting = connectWithRetry(open, options, recordingLogger());
    await jest.advanceTimersByTimeAsync(200);
    await expect(connecting).resolves.toBe(connection);
  });

  it('gives up with NatsUnreachableError once maxWaitMs has passed, the last wait cut to fit', async () => {
    const logger = recordingLogger();
    const connecting = connectWithRetry(() => Promise.reject(refused()), options, logger);
    const outcome = connecting.catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(2000);
    const error = await outcome;
    expect(error).toBeInstanceOf(NatsUnreachableError);
    expect((error as NatsUnreachableError).message).toBe(
      'NATS not reachable at nats://a:4222,nats://b:4222 after 5 attempt(s) in 2000ms: connection refused',
    );
    expect(logger.warnings.at(-1)).toBe('NATS not reachable at nats://a:4222,nats://b:4222 (attempt 4), retrying in 600ms');
  });

  it('tries once with maxWaitMs 0', async () => {
    const connecting = connectWithRetry(() => Promise.reject(refused()), { ...options, connectRetry: { ...retry, maxWaitMs: 0 } }, recordingLogger());
    await expect(connecting).rejects.toMatchObject({ name: 'NatsUnreachableError', attempts: 1 });
  });

  it('throws a failure that waiting cannot fix at once', async () => {
    const denied = new errors.AuthorizationError('Authorization Violation');
    let calls = 0;
    const open = () => {
      calls += 1;
      return Promise.reject(denied);
    };
    await expect(connectWithRetry(open, options, recordingLogger())).rejects.toBe(denied);
    expect(calls).toBe(1);
  });
});

describe('refusal', () => {
  const servers = ['nats://a:4222'];

  it('names the auth method of refused credentials, never the secret', () => {
    const error = refusal(new errors.AuthorizationError('Authorization Violation'), { servers, auth: { token: 'the-token' } });
    expect(error).toBeInstanceOf(TransportError);
    expect(error?.message).toBe('NATS at nats://a:4222 refused the connection (token credentials): Authorization Violation');
    expect(error?.message).not.toContain('the-token');
  });

  it('says a connection without credentials was refused', () => {
    expect(refusal(new errors.AuthorizationError('Authorization Violation'), { servers })?.message).toBe('NATS at nats://a:4222 refused the connection (no credentials): Authorization Violation');
  });

  it('names the CA of an untrusted server certificate, from the error or its cause', () => {
    const tlsError = Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const wrapped = new errors.ConnectionError('tls failed', { cause: tlsError });
    for (const error of [tlsError, wrapped]) {
      expect(refusal(error, { servers, tls: { caFile: '/tls/ca.crt' } })?.message).toBe(
        'TLS to NATS at nats://a:4222 failed: the server certificate is not trusted with CA /tls/ca.crt (SELF_SIGNED_CERT_IN_CHAIN)',
      );
    }
  });

  it('leaves an unreachable server to the retry loop', () => {
    expect(refusal(refused(), { servers, tls: { caFile: '/tls/ca.crt' } })).toBeUndefined();
    expect(refusal(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), { servers })).toBeUndefined();
  });
});

describe('connectionOptions', () => {
  const base = { service: 'orders', servers: 'nats://a:4222' };

  it('has a server write in pieces of replyFlushBytes (nats.js\'s pendingLimit) and a client keep nats.js\'s own', () => {
    const options = normalizeNatsTransportOptions({ ...base, replyFlushBytes: 2048 });
    expect(connectionOptions(options, 'server')).toMatchObject({ name: 'orders-server', pendingLimit: 2048, noAsyncTraces: true });
    expect(connectionOptions(options, 'client')).not.toHaveProperty('pendingLimit');
    expect(connectionOptions(normalizeNatsTransportOptions(base), 'server')).toMatchObject({ pendingLimit: 4096 });
  });

  it('lets `connection` override the defaults, but never the credentials from `auth`', () => {
    const options = normalizeNatsTransportOptions({ ...base, auth: { token: 't' }, connection: { noAsyncTraces: false, pingInterval: 5000 } });
    const server = connectionOptions(options, 'server');
    expect(server).toMatchObject({ noAsyncTraces: false, pingInterval: 5000, pendingLimit: 4096 });
    expect(server.authenticator).toBeDefined();
  });
});
