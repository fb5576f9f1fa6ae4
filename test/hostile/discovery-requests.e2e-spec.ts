import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Rpc } from '@cliffracer/nats-transport';
import { CapturingLogger, RawNatsSocket, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { startServiceWithRaw } from '../support/service-with-raw.js';

@Controller()
class EchoController {
  @Rpc()
  echo(@Payload() body: unknown) {
    return body;
  }
}

const VERBS = ['PING', 'INFO', 'STATS'] as const;
const TYPES = { PING: 'io.nats.micro.v1.ping_response', INFO: 'io.nats.micro.v1.info_response', STATS: 'io.nats.micro.v1.stats_response' };

describe('Hostile requests to the $SRV discovery subjects', () => {
  const name = `probe-${randomBytes(3).toString('hex')}`;
  let service: TestApp;
  let raw: NatsConnection;
  let url: string;
  let stop: (() => Promise<void>) | undefined;
  const logger = new CapturingLogger();
  let subjects: string[];

  beforeAll(async () => {
    ({ service, raw, close: stop, nats: { url } } = await startServiceWithRaw({ nats: { service: name }, controllers: [EchoController], logger }));
    const id = service.server.instanceId!;
    subjects = VERBS.flatMap((verb) => [`$SRV.${verb}.${name}`, `$SRV.${verb}.${name}.${id}`]);
  });

  afterAll(async () => {
    await stop?.();
  });

  /** The echo endpoint's request count, as STATS reports it. */
  async function echoRequests(): Promise<number> {
    const stats = await raw.request(`$SRV.STATS.${name}.${service.server.instanceId}`);
    return stats.json<{ endpoints: Array<{ num_requests: number }> }>().endpoints[0]!.num_requests;
  }

  it('answers garbage, oversized and odd-headed requests with its usual documents, without reading them or logging', async () => {
    const bodies: Array<string | Uint8Array> = ['{"not":', randomBytes(512), 'x'.repeat(512 * 1024), '{"__proto__":{"polluted":true}}'];
    for (const subject of subjects) {
      const verb = subject.split('.')[1] as keyof typeof TYPES;
      for (const body of bodies) {
        const h = headers();
        h.set('Nats-Service-Error-Code', '500');
        h.set('X-Junk', 'y'.repeat(4000));
        const reply = await raw.request(subject, body, { timeout: 2000, headers: h });
        expect(reply.json<{ type: string; name: string }>()).toMatchObject({ type: TYPES[verb], name });
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expect(service.client.call(name, 'echo', { ok: 1 })).resolves.toEqual({ ok: 1 });
    expect(logger.lines).toEqual([]);
  });

  it('answers requests with header blocks nats.js cannot decode, as it never reads their headers', async () => {
    await using socket = await RawNatsSocket.open(url);
    socket.sub('probe.reply', 1);
    for (const subject of subjects) socket.hpub(subject, 'probe.reply', 'NATS/1.0\r\nBad Name: 1\r\n\r\n', '{}');
    await socket.waitFor('MSG probe.reply', 5000, subjects.length);
    await expect(service.client.call(name, 'echo', 7)).resolves.toBe(7);
    expect(logger.lines).toEqual([]);
  });

  it('ignores a flood of discovery messages without a reply subject, and counts none of them as requests', async () => {
    const before = await echoRequests();
    for (let i = 0; i < 5000; i++) raw.publish(subjects[i % subjects.length]!, '{}');
    await raw.flush();
    await expect(service.client.call(name, 'echo', 'after')).resolves.toBe('after');
    expect(await echoRequests()).toBe(before + 1);
    expect(logger.lines).toEqual([]);
  });

  it('answers once when the reply subject is itself a discovery subject: the answer has no reply subject, so nothing loops', async () => {
    const id = service.server.instanceId!;
    const looped: Msg[] = [];
    const watch = raw.subscribe(`$SRV.INFO.${name}.${id}`, {
      callback: (_error, msg) => {
        looped.push(msg);
      },
    });
    await raw.flush();
    raw.publish(`$SRV.PING.${name}.${id}`, '', { reply: `$SRV.INFO.${name}.${id}` });
    // One round trip through the service after it: its answer to the first is on its way before this one's.
    await raw.request(`$SRV.PING.${name}.${id}`);
    await waitUntil(() => looped.length >= 1, 2000);
    await raw.request(`$SRV.PING.${name}.${id}`);
    watch.unsubscribe();
    expect(looped).toHaveLength(1);
    expect(looped[0]!.reply ?? '').toBe('');
    expect(looped[0]!.json<{ type: string }>().type).toBe('io.nats.micro.v1.ping_response');
  });

  it('answers nothing on a $SRV subject of another verb, name or instance ID', async () => {
    for (const subject of [`$SRV.SCHEMA.${name}`, `$SRV.PING.${name}.not-my-id`, `$SRV.PING.${name.toUpperCase()}`, `$SRV.PING.${name}.>`]) {
      await expect(raw.request(subject, '', { timeout: 2000 })).rejects.toThrow(/no responders|invalid subject/i);
    }
  });
});
