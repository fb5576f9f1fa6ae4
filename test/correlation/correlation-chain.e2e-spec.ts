import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CORRELATION_ID_HEADER, CorrelationContext, CorrelationLogger } from '@cliffracer/correlation';
import { Event, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { connect, headers } from '@nats-io/transport-node';

@Controller()
class FrontController {
  private readonly logger = new Logger('FrontController');
  constructor(private readonly client: NatsClient) {}

  @Rpc()
  async place(@Payload() order: { id: string }) {
    this.logger.log(`placing ${order.id}`);
    return this.client.call('back', 'work', order);
  }
}

@Controller()
class BackController {
  private readonly logger = new Logger('BackController');
  constructor(private readonly client: NatsClient) {}

  @Rpc()
  async work(@Payload() order: { id: string }) {
    this.logger.log(`working on ${order.id}`);
    await this.client.emit('audit.done', order);
    return { done: order.id, correlationId: CorrelationContext.currentId() };
  }
}

@Controller()
class AuditController {
  private readonly logger = new Logger('AuditController');
  seen = 0;

  @Event('audit.done')
  done(@Payload() order: { id: string }) {
    this.logger.log(`audited ${order.id}`);
    this.seen += 1;
  }
}

describe('correlation across a nested call chain', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  const apps: TestApp[] = [];
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    const logger = new CorrelationLogger({ json: true, colors: false });
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      return true;
    });
    for (const [service, controller] of [['front', FrontController], ['back', BackController], ['audit', AuditController]] as const) {
      apps.push(await createTestApp({ nats: { service, servers: nats.url, subjectPrefix: prefix }, controllers: [controller], logger }));
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    jest.restoreAllMocks();
    await nats?.release();
  });

  it('carries the caller’s ID through RPC, nested RPC and event, onto every log line', async () => {
    const caller = await connect({ servers: nats.url });
    const h = headers();
    h.set(CORRELATION_ID_HEADER, 'order-flow-42');
    const reply = await caller.request(`${prefix}.front.place`, JSON.stringify({ id: 'o7' }), { timeout: 3000, headers: h });
    await caller.close();

    expect(JSON.parse(new TextDecoder().decode(reply.data))).toEqual({ done: 'o7', correlationId: 'order-flow-42' });
    const audit = apps[2]!.app.get(AuditController);
    await waitUntil(() => audit.seen === 1);

    const handlerLines = lines.filter((l) => String(l.context).match(/^(Front|Back|Audit)Controller$/));
    expect(handlerLines.map((l) => l.message)).toEqual(['placing o7', 'working on o7', 'audited o7']);
    expect(handlerLines.map((l) => l.correlationId)).toEqual(['order-flow-42', 'order-flow-42', 'order-flow-42']);
  });

  it('starts a new ID at the edge when the caller sends none, and keeps it down the chain', async () => {
    const result = await apps[0]!.client.call<{ correlationId: string }>('front', 'place', { id: 'o8' });
    expect(result.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const placing = lines.find((l) => l.message === 'placing o8');
    expect(placing?.correlationId).toBe(result.correlationId);
  });

  it('replaces an unsafe incoming ID instead of logging it', async () => {
    const caller = await connect({ servers: nats.url });
    const h = headers();
    h.set(CORRELATION_ID_HEADER, 'evil\u001b[31m id');
    const reply = await caller.request(`${prefix}.back.work`, JSON.stringify({ id: 'o9' }), { timeout: 3000, headers: h });
    await caller.close();
    const { correlationId } = JSON.parse(new TextDecoder().decode(reply.data)) as { correlationId: string };
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
