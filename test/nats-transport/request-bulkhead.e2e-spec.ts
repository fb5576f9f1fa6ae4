import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NATS_OVERLOAD_CHANNEL, type OverloadReport, OverloadedError, Rpc, RpcTimeoutError } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { CorrelationContext } from '@cliffracer/correlation';
import { Controller, Injectable } from '@nestjs/common';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/** Holds the slow handlers until the test lets them go. */
@Injectable()
class Gate {
  private opened!: () => void;
  private closed = Promise.resolve();

  close(): void {
    this.closed = new Promise((resolve) => (this.opened = resolve));
  }

  open(): void {
    this.opened();
  }

  pass(): Promise<void> {
    return this.closed;
  }
}

@Controller()
class SlowController {
  briefRuns = 0;

  constructor(private readonly gate: Gate) {}

  // Shares the service's compartment (maxConcurrentRequests).
  @Rpc()
  async hold(): Promise<string> {
    await this.gate.pass();
    return `held in ${CorrelationContext.currentId()}`;
  }

  @Rpc({ timeoutMs: 400 })
  brief(): string {
    this.briefRuns += 1;
    return 'brief';
  }

  // A compartment of its own: one at a time, one waiting.
  @Rpc({ maxConcurrent: 1, maxQueued: 1 })
  async report(): Promise<string> {
    await this.gate.pass();
    return 'report';
  }
}

const SERVICE = 'bulkhead';

describe('request bulkheads', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let gate: Gate;
  let controller: SlowController;
  const reports: OverloadReport[] = [];
  const onReport = (report: unknown) => {
    if ((report as OverloadReport).service === SERVICE) reports.push(report as OverloadReport);
  };

  beforeAll(async () => {
    nats = await ensureNats();
    subscribe(NATS_OVERLOAD_CHANNEL, onReport);
    service = await createTestApp({
      nats: { service: SERVICE, servers: nats.url, subjectPrefix: uniquePrefix(), maxConcurrentRequests: 2, maxQueuedRequests: 2 },
      controllers: [SlowController],
      providers: [Gate],
      logger: false,
    });
    gate = service.app.get(Gate);
    controller = service.app.get(SlowController);
  });

  afterAll(async () => {
    gate?.open();
    unsubscribe(NATS_OVERLOAD_CHANNEL, onReport);
    await service?.close();
    await nats?.release();
  });

  it('queues requests past maxConcurrentRequests, refuses one past the queue with OVERLOADED at once, and answers the queued ones in their own context', async () => {
    reports.length = 0;
    gate.close();
    const held = ['c0', 'c1', 'c2', 'c3'].map((id) => CorrelationContext.run(id, () => service.client.call('bulkhead', 'hold')));
    await waitUntil(() => service.server.inFlight.size === 4);
    const refused = await service.client.call('bulkhead', 'hold').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OverloadedError);
    expect((refused as OverloadedError).message).toMatch(/^request refused: 2 requests are being handled already and 2 wait: /);
    expect(reports).toEqual([expect.objectContaining({ kind: 'rpc', subject: 'bulkhead.hold', route: 'bulkhead.hold', scope: 'service', outcome: 'refused', running: 2, queued: 2 })]);
    gate.open();
    await expect(Promise.all(held)).resolves.toEqual(['held in c0', 'held in c1', 'held in c2', 'held in c3']);
  });

  it('answers a request that waited past its deadline with RPC_TIMEOUT, and never runs it', async () => {
    reports.length = 0;
    gate.close();
    const held = [service.client.call('bulkhead', 'hold'), service.client.call('bulkhead', 'hold')];
    await waitUntil(() => service.server.inFlight.size === 2);
    const expired = await service.client.call('bulkhead', 'brief', {}, { timeoutMs: 5000 }).catch((error: unknown) => error);
    expect(expired).toBeInstanceOf(RpcTimeoutError);
    expect((expired as RpcTimeoutError).data).toMatchObject({ side: 'queue', timeoutMs: 400 });
    expect(reports).toEqual([expect.objectContaining({ subject: 'bulkhead.brief', scope: 'service', outcome: 'expired' })]);
    gate.open();
    await Promise.all(held);
    expect(controller.briefRuns).toBe(0);
    await expect(service.client.call('bulkhead', 'brief')).resolves.toBe('brief');
  });

  it('keeps a handler with its own maxConcurrent in its own compartment: it refuses past its queue while the others answer', async () => {
    reports.length = 0;
    gate.close();
    const reportsRunning = [service.client.call('bulkhead', 'report'), service.client.call('bulkhead', 'report')];
    await waitUntil(() => service.server.inFlight.size === 2);
    const refused = await service.client.call('bulkhead', 'report').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OverloadedError);
    expect((refused as OverloadedError).message).toMatch(/^request refused: 1 requests are being handled already and 1 wait by its handler: /);
    expect(reports).toEqual([expect.objectContaining({ subject: 'bulkhead.report', scope: 'handler', outcome: 'refused', running: 1, queued: 1 })]);
    await expect(service.client.call('bulkhead', 'brief')).resolves.toBe('brief');
    gate.open();
    await expect(Promise.all(reportsRunning)).resolves.toEqual(['report', 'report']);
  });

  it('answers the requests still queued before it shuts down', async () => {
    gate.close();
    const held = Array.from({ length: 4 }, () => service.client.call('bulkhead', 'hold'));
    await waitUntil(() => service.server.inFlight.size === 4);
    const closing = service.server.close();
    gate.open();
    expect(await Promise.all(held)).toHaveLength(4);
    await closing;
  });
});
