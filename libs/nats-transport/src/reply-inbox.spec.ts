import { describe, expect, it, jest } from '@jest/globals';
import { headers as natsHeaders, type Msg, type MsgCallback, type NatsConnection } from '@nats-io/transport-node';
import { NoRespondersError } from './errors/no-responders.error.js';
import { RpcTimeoutError } from './errors/rpc-timeout.error.js';
import { TransportError } from './errors/transport.error.js';
import { ReplyInbox } from './reply-inbox.js';

/** The NATS edge: records what is published and lets the test deliver replies to the inbox. */
function fakeConnection() {
  let deliver!: MsgCallback<Msg>;
  const published: Array<{ subject: string; reply: string }> = [];
  const nc = {
    subscribe: (_subject: string, options: { callback: MsgCallback<Msg> }) => {
      deliver = options.callback;
      return { unsubscribe: () => undefined };
    },
    publish: (subject: string, _data: unknown, options: { reply: string }) => {
      published.push({ subject, reply: options.reply });
    },
  } as unknown as NatsConnection;
  const reply = (to: string, data: Uint8Array, code?: number) => {
    deliver(null, { subject: to, data, headers: code === undefined ? undefined : natsHeaders(code, 'No Responders') } as unknown as Msg);
  };
  return { nc, published, reply };
}

describe('ReplyInbox', () => {
  it('resolves each request with the reply sent to its own reply subject', async () => {
    const { nc, published, reply } = fakeConnection();
    const inbox = new ReplyInbox(nc);
    const first = inbox.request('a.one', '{}', natsHeaders(), 1000);
    const second = inbox.request('a.two', '{}', natsHeaders(), 1000);
    expect(published.map((p) => p.subject)).toEqual(['a.one', 'a.two']);
    expect(published[0]!.reply).not.toBe(published[1]!.reply);
    reply(published[1]!.reply, new Uint8Array([50]));
    reply(published[0]!.reply, new Uint8Array([49]));
    expect((await first).data).toEqual(new Uint8Array([49]));
    expect((await second).data).toEqual(new Uint8Array([50]));
    expect(inbox.size).toBe(0);
  });

  it('rejects at once with NoRespondersError on the 503 status NATS sends back', async () => {
    const { nc, published, reply } = fakeConnection();
    const inbox = new ReplyInbox(nc);
    const request = inbox.request('nobody.home', '{}', natsHeaders(), 60_000);
    reply(published[0]!.reply, new Uint8Array(0), 503);
    await expect(request).rejects.toBeInstanceOf(NoRespondersError);
  });

  it('rejects with RpcTimeoutError after the timeout and ignores a late reply', async () => {
    jest.useFakeTimers();
    try {
      const { nc, published, reply } = fakeConnection();
      const inbox = new ReplyInbox(nc);
      const request = inbox.request('slow.op', '{}', natsHeaders(), 500);
      const settled = request.catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(500);
      const error = await settled;
      expect(error).toBeInstanceOf(RpcTimeoutError);
      expect((error as Error).message).toBe('rpc timed out after 500ms: slow.op');
      reply(published[0]!.reply, new Uint8Array([1]));
      expect(inbox.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails every waiting request when abandoned', async () => {
    const { nc } = fakeConnection();
    const inbox = new ReplyInbox(nc);
    const requests = [inbox.request('x.a', '{}', natsHeaders(), 60_000), inbox.request('x.b', '{}', natsHeaders(), 60_000)];
    inbox.abandonAll((subject) => new TransportError(`lost ${subject}`));
    await expect(requests[0]).rejects.toThrow('lost x.a');
    await expect(requests[1]).rejects.toThrow('lost x.b');
    expect(inbox.size).toBe(0);
  });
});
