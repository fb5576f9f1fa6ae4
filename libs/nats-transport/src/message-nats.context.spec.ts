import { describe, expect, it } from '@jest/globals';
import { NatsContext } from '@nestjs/microservices';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { inspect } from 'node:util';
import { MessageNatsContext } from './message-nats.context.js';

/** A message that counts reads of its subject and its headers, as nats.js decodes each on the first. */
function message(headers: MsgHdrs | undefined) {
  let reads = 0;
  let subjectReads = 0;
  return {
    msg: {
      get subject() {
        subjectReads += 1;
        return 'svc.method';
      },
      get headers() {
        reads += 1;
        return headers;
      },
    },
    reads: () => reads,
    subjectReads: () => subjectReads,
  };
}

describe('MessageNatsContext', () => {
  it('reads the message headers only when asked, and once', () => {
    const h = natsHeaders();
    h.set('Tenant', 'acme');
    const { msg, reads } = message(h);
    const ctx = new MessageNatsContext(msg);
    expect(ctx.getSubject()).toBe('svc.method');
    expect(reads()).toBe(0);
    expect(ctx.getHeaders()?.get('Tenant')).toBe('acme');
    expect(ctx.getArgs()).toEqual(['svc.method', h]);
    expect(ctx.getArgByIndex(1)).toBe(h);
    expect(reads()).toBe(1);
  });

  it('reads the subject only when asked, and once', () => {
    const { msg, reads, subjectReads } = message(undefined);
    const ctx = new MessageNatsContext(msg);
    expect(subjectReads()).toBe(0);
    expect(ctx.getSubject()).toBe('svc.method');
    expect(ctx.getSubject()).toBe('svc.method');
    expect(ctx.getArgs()).toEqual(['svc.method', undefined]);
    expect(subjectReads()).toBe(1);
    expect(reads()).toBe(1);
  });

  it('shows its subject when logged or serialized before anything read it, its headers still unread', () => {
    const { msg, reads } = message(natsHeaders());
    expect(JSON.stringify(new MessageNatsContext(msg))).toBe('{"args":["svc.method",null]}');
    expect(inspect(new MessageNatsContext(msg))).toContain("'svc.method'");
    expect(reads()).toBe(0);
  });

  it('gives the arguments Nest gives, undefined headers included', () => {
    const { msg } = message(undefined);
    const ctx = new MessageNatsContext(msg);
    expect(ctx.getArgByIndex(0)).toBe('svc.method');
    expect(ctx.getArgs()).toEqual(['svc.method', undefined]);
    expect(ctx.getHeaders()).toBeUndefined();
  });

  it('shows nothing of the message but its subject and headers: a nats.js message holds its connection', () => {
    const h = natsHeaders();
    h.set('Tenant', 'acme');
    // What a nats.js message refers to: its connection, whose options hold the credentials, and which refers back.
    const connection: Record<string, unknown> = { options: { pass: 'nats-password' } };
    connection['self'] = connection;
    const ctx = new MessageNatsContext({ subject: 'svc.method', headers: h, publisher: connection } as { subject: string; headers: MsgHdrs });
    expect(inspect(ctx, { depth: Infinity })).not.toContain('nats-password');
    expect(JSON.stringify(ctx)).not.toContain('nats-password');
    ctx.getHeaders();
    expect(JSON.stringify(ctx)).toBe(JSON.stringify(new NatsContext(['svc.method', h])));
    expect(inspect(ctx, { depth: Infinity })).not.toContain('nats-password');
  });

  it('throws on each read while the headers cannot be decoded, as nats.js does', () => {
    const msg = {
      subject: 'svc.method',
      get headers(): MsgHdrs {
        throw new Error('bad header block');
      },
    };
    const ctx = new MessageNatsContext(msg);
    expect(() => ctx.getHeaders()).toThrow('bad header block');
    expect(() => ctx.getHeaders()).toThrow('bad header block');
  });
});
