import { describe, expect, it } from '@jest/globals';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { MessageNatsContext } from './message-nats.context.js';

/** A message that counts reads of its headers, as nats.js decodes them on the first. */
function message(headers: MsgHdrs | undefined) {
  let reads = 0;
  return {
    msg: {
      subject: 'svc.method',
      get headers() {
        reads += 1;
        return headers;
      },
    },
    reads: () => reads,
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

  it('gives the arguments Nest gives, undefined headers included', () => {
    const { msg } = message(undefined);
    const ctx = new MessageNatsContext(msg);
    expect(ctx.getArgByIndex(0)).toBe('svc.method');
    expect(ctx.getArgs()).toEqual(['svc.method', undefined]);
    expect(ctx.getHeaders()).toBeUndefined();
  });
});
