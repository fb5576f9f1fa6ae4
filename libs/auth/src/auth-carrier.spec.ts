import { describe, expect, it } from '@jest/globals';
import { ExecutionContextHost } from '@nestjs/core/internal';
import { NatsContext } from '@nestjs/microservices';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { bearerOf, tokenOf } from './auth-carrier.js';
import { UnauthorizedError } from './errors/unauthorized.error.js';

/** A Node request as the HTTP parser leaves it: every header line in `rawHeaders`. */
function nodeRequest(...lines: Array<[name: string, value: string]>): IncomingMessage {
  const request = new IncomingMessage(new Socket());
  request.rawHeaders = lines.flat();
  for (const [name, value] of lines) request.headers[name.toLowerCase()] ??= value;
  return request;
}

function natsContext(...lines: Array<[name: string, value: string]>): NatsContext {
  const h = natsHeaders();
  for (const [name, value] of lines) h.append(name, value);
  return new NatsContext(['svc.method', h]);
}

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    return (error as UnauthorizedError).reason ?? 'no reason given';
  }
  throw new Error('expected an UnauthorizedError');
}

describe('bearerOf', () => {
  describe('a NATS context', () => {
    it.each(['Authorization', 'authorization', 'AUTHORIZATION'])('reads the header named %s', (name) => {
      expect(bearerOf(natsContext([name, 'Bearer t-1']))).toBe('t-1');
    });

    it('refuses the header twice under one name', () => {
      expect(refusal(() => bearerOf(natsContext(['Authorization', 'Bearer t-1'], ['Authorization', 'Bearer t-2'])))).toBe('duplicate Authorization header');
    });

    it('refuses the header twice under two casings', () => {
      expect(refusal(() => bearerOf(natsContext(['authorization', 'Bearer t-1'], ['AUTHORIZATION', 'Bearer t-1'])))).toBe('duplicate Authorization header');
    });

    it('finds no token in a message without headers or without the header', () => {
      expect(bearerOf(new NatsContext(['svc.method', undefined]))).toBeUndefined();
      expect(bearerOf(natsContext(['X-Correlation-ID', 'c-1']))).toBeUndefined();
    });
  });

  describe('an HTTP request', () => {
    it('reads the header of a Node request and of a fastify request around one', () => {
      expect(bearerOf(nodeRequest(['Authorization', 'Bearer t-1']))).toBe('t-1');
      expect(bearerOf({ raw: nodeRequest(['authorization', 'Bearer t-1']) })).toBe('t-1');
    });

    it('refuses two header lines, where Node keeps only the first in headers', () => {
      const request = nodeRequest(['Authorization', 'Bearer t-1'], ['authorization', 'Bearer t-2']);
      expect(refusal(() => bearerOf(request))).toBe('duplicate Authorization header');
      expect(refusal(() => bearerOf({ raw: request, headers: request.headers }))).toBe('duplicate Authorization header');
    });

    it.each(['Basic dTpw', 'Bearer', 'Bearer a b', ''])('refuses the value %p as not a bearer token', (value) => {
      expect(refusal(() => bearerOf(nodeRequest(['Authorization', value])))).toBe('not a bearer token');
    });
  });
});

describe('tokenOf', () => {
  const wsContext = (client: unknown, data: unknown = {}) => {
    const context = new ExecutionContextHost([client, data]);
    context.setType('ws');
    return context;
  };

  it('refuses a socket.io handshake whose request carried two Authorization headers', () => {
    const request = nodeRequest(['Authorization', 'Bearer t-1'], ['Authorization', 'Bearer t-2']);
    const client = { request, handshake: { headers: request.headers, auth: {} } };
    expect(refusal(() => tokenOf(wsContext(client)))).toBe('duplicate Authorization header');
  });

  it('reads a socket.io handshake header, and prefers the token the connection was given', () => {
    expect(tokenOf(wsContext({ handshake: { headers: { authorization: 'Bearer t-1' } } }))).toBe('t-1');
    expect(tokenOf(wsContext({ handshake: { auth: { token: 't-2' }, headers: { authorization: 'Bearer t-1' } } }))).toBe('t-2');
  });

  it('reads the NATS header over RPC', () => {
    const context = new ExecutionContextHost([{}, natsContext(['authorization', 'Bearer t-3'])]);
    context.setType('rpc');
    expect(tokenOf(context)).toBe('t-3');
  });
});
