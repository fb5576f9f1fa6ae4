import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import type { ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { NatsContext } from '@nestjs/microservices';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { CallerHeader, CallerHeaders } from './caller-header.decorator.js';

class Handlers {
  one(@CallerHeader('X-Tenant') _tenant?: string): void {}
  all(@CallerHeaders() _headers: Record<string, string>): void {}
}

type Factory = (data: unknown, ctx: ExecutionContext) => unknown;

/** The value Nest would inject into the first parameter of `method` (Nest's documented way to test a param decorator). */
function inject(method: 'one' | 'all', ctx: ExecutionContext): unknown {
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Handlers, method) as Record<string, { data: unknown; factory: Factory }>;
  const [{ data, factory }] = Object.values(args) as [{ data: unknown; factory: Factory }];
  return factory(data, ctx);
}

/** The execution context of a NATS handler whose message carried `lines`. */
function natsCall(...lines: Array<[string, string]>): ExecutionContext {
  const h = natsHeaders();
  for (const [name, value] of lines) h.append(name, value);
  const context = new NatsContext(['svc.one', h]);
  return { getType: () => 'rpc', switchToRpc: () => ({ getContext: () => context }) } as unknown as ExecutionContext;
}

const httpRoute = { getType: () => 'http' } as unknown as ExecutionContext;

describe('CallerHeader', () => {
  it('injects the value of the header in any casing', () => {
    expect(inject('one', natsCall(['x-TENANT', 'acme']))).toBe('acme');
  });

  it('injects undefined to a message without headers', () => {
    const context = new NatsContext(['svc.one', undefined]);
    expect(inject('one', { getType: () => 'rpc', switchToRpc: () => ({ getContext: () => context }) } as unknown as ExecutionContext)).toBeUndefined();
  });

  it('injects undefined outside a NATS handler', () => {
    expect(inject('one', httpRoute)).toBeUndefined();
  });

  it.each(['', 'X Tenant', 'X-Tenant:', 'X-Tenant\r\n'])('refuses %j as a name when the class is declared', (name) => {
    expect(() => CallerHeader(name)).toThrow(InvalidOptionsError);
  });
});

describe('CallerHeaders', () => {
  it('injects the caller headers keyed in lower case, without reserved ones', () => {
    expect(inject('all', natsCall(['X-Tenant', 'acme'], ['X-Correlation-ID', 'c-1'], ['Nats-Msg-Id', 'm-1']))).toEqual({ 'x-tenant': 'acme' });
  });

  it('injects an empty object outside a NATS handler', () => {
    expect(inject('all', httpRoute)).toEqual({});
  });
});
