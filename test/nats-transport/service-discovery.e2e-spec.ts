import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Event, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, type TestApp } from '@cliffracer/testing';
import { Controller, NotFoundException } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { type ServiceClient, Svcm } from '@nats-io/services';
import { Empty, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ServiceWithRaw, startServiceWithRaw } from '../support/service-with-raw.js';

@Controller()
class CatalogController {
  @Rpc()
  lookup(@Payload() request: { sku: string }) {
    if (request.sku === 'missing') throw new NotFoundException(`no item ${request.sku}`);
    if (request.sku === 'broken') throw new Error('database password rejected');
    return { sku: request.sku };
  }

  @Rpc('restock', { timeoutMs: 2000 })
  async restock() {
    await sleep(25);
    return 'ok';
  }

  @Event('catalog.events.changed')
  changed() {}

  @Event('catalog.events.stocked', { durable: 'stock' })
  stocked() {}
}

/** Everything a ServiceClient query yields, waiting for `count` replies (or 5 s) when the number is known. */
async function collect<T>(query: Promise<AsyncIterable<T>>): Promise<T[]> {
  const replies: T[] = [];
  for await (const reply of await query) replies.push(reply);
  return replies;
}

function expectingReplies(nc: NatsConnection, count?: number): ServiceClient {
  const options: Parameters<Svcm['client']>[0] = count === undefined ? { strategy: 'stall', stall: 1000, maxWait: 5000 } : { strategy: 'count', maxMessages: count, maxWait: 5000 };
  // @nats-io/services brings its own @nats-io/nats-core; the connection's methods are the same.
  return new Svcm(nc as never).client(options);
}

const repositoryVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('NatsServer: NATS service discovery (ADR-32), read with @nats-io/services', () => {
  const name = `catalog-${randomBytes(3).toString('hex')}`;
  let fixture: ServiceWithRaw;
  let id: string;

  beforeAll(async () => {
    fixture = await startServiceWithRaw({ nats: { service: name, description: 'the item catalog' }, controllers: [CatalogController], logger: false, durable: true });
    id = fixture.service.server.instanceId!;
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('answers PING for all services, by name, and by name and instance ID', async () => {
    const all = await collect(expectingReplies(fixture.raw).ping());
    const byName = await collect(expectingReplies(fixture.raw, 1).ping(name));
    const byId = await collect(expectingReplies(fixture.raw, 1).ping(name, id));
    const expected = { type: 'io.nats.micro.v1.ping_response', name, id, version: repositoryVersion, metadata: expect.any(Object) };
    expect(all.filter((reply) => reply.name === name)).toEqual([expected]);
    expect(byName).toEqual([expected]);
    expect(byId).toEqual([expected]);
  });

  it('lists each RPC handler as an endpoint with its subject, queue group and timeout, and the events it consumes', async () => {
    const [info] = await collect(expectingReplies(fixture.raw, 1).info(name, id));
    const prefix = fixture.prefix;
    expect(info).toEqual({
      type: 'io.nats.micro.v1.info_response',
      name,
      id,
      version: repositoryVersion,
      description: 'the item catalog',
      metadata: {
        subject_prefix: prefix,
        events: `${prefix}.catalog.events.changed, ${prefix}.catalog.events.stocked (durable ${name}_stock)`,
      },
      endpoints: [
        { name: 'lookup', subject: `${prefix}.${name}.lookup`, queue_group: name, metadata: {} },
        { name: 'restock', subject: `${prefix}.${name}.restock`, queue_group: name, metadata: { timeout_ms: '2000' } },
      ],
    });
  });

  it('counts requests, errors with the last one as its caller saw it, and processing time per endpoint', async () => {
    const { client } = fixture.service;
    for (const sku of ['a', 'b', 'c']) await client.call(name, 'lookup', { sku });
    await expect(client.call(name, 'lookup', { sku: 'missing' })).rejects.toThrow('no item missing');
    await expect(client.call(name, 'lookup', { sku: 'broken' })).rejects.toThrow('Internal server error');
    await client.call(name, 'restock', {});

    const [stats] = await collect(expectingReplies(fixture.raw, 1).stats(name, id));
    expect(stats).toMatchObject({ type: 'io.nats.micro.v1.stats_response', name, id, version: repositoryVersion });
    expect(Date.parse(stats!.started)).toBeLessThanOrEqual(Date.now());
    const [lookup, restock] = stats!.endpoints!;
    expect(lookup).toMatchObject({ name: 'lookup', subject: `${fixture.prefix}.${name}.lookup`, queue_group: name, num_requests: 5, num_errors: 2, last_error: 'INTERNAL: Internal server error' });
    expect(lookup!.processing_time).toBeGreaterThan(0);
    expect(lookup!.average_processing_time).toBe(Math.round(lookup!.processing_time / 5));
    expect(restock).toMatchObject({ name: 'restock', num_requests: 1, num_errors: 0, last_error: '' });
    // The handler slept 25 ms: a lower bound only, whatever the machine's load.
    expect(restock!.processing_time).toBeGreaterThanOrEqual(20e6);
    expect(Number.isInteger(restock!.processing_time)).toBe(true);
  });

  describe('with a second instance', () => {
    let second: TestApp;

    beforeAll(async () => {
      second = await createTestApp({
        nats: { service: name, servers: fixture.nats.url, subjectPrefix: fixture.prefix, version: '2.1.0-rc.1' },
        controllers: [CatalogController],
        logger: false,
      });
    });

    afterAll(async () => {
      await second?.close();
    });

    it('each instance answers with its own ID, version and counts', async () => {
      const secondId = second.server.instanceId!;
      const pings = await collect(expectingReplies(fixture.raw, 2).ping(name));
      expect(pings.map((reply) => reply.id).sort()).toEqual([id, secondId].sort());
      expect(secondId).not.toBe(id);

      const [info] = await collect(expectingReplies(fixture.raw, 1).info(name, secondId));
      expect(info).toMatchObject({ id: secondId, version: '2.1.0-rc.1', description: '' });
      await second.client.call(name, 'restock', {}).catch(() => undefined);
      const all = await collect(expectingReplies(fixture.raw, 2).stats(name));
      const requests = all.map((stats) => stats.endpoints!.reduce((sum, endpoint) => sum + endpoint.num_requests, 0));
      expect(requests.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(7);
      expect(all.map((stats) => stats.id).sort()).toEqual([id, secondId].sort());
    });

    it('stops answering once the instance closes', async () => {
      const secondId = second.server.instanceId!;
      await second.close();
      await expect(fixture.raw.request(`$SRV.PING.${name}.${secondId}`, Empty, { timeout: 2000 })).rejects.toThrow(/no responders/i);
      expect(await collect(expectingReplies(fixture.raw, 1).ping(name))).toEqual([expect.objectContaining({ id })]);
    });
  });

  it('answers nothing with discovery off', async () => {
    const quiet = `quiet-${randomBytes(3).toString('hex')}`;
    const app = await createTestApp({ nats: { service: quiet, servers: fixture.nats.url, subjectPrefix: fixture.prefix, discovery: false }, controllers: [CatalogController], logger: false });
    try {
      expect(app.server.instanceId).toBeUndefined();
      await expect(fixture.raw.request(`$SRV.INFO.${quiet}`, Empty, { timeout: 2000 })).rejects.toThrow(/no responders/i);
    } finally {
      await app.close();
    }
  });
});
