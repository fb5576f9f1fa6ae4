import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEAD_LETTER_ERROR_HEADER, Event, type HandledReport, NATS_HANDLED_CHANNEL, ORIGINAL_SUBJECT_HEADER } from '@cliffracer/nats-transport';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  createTestApp,
  ensureNats,
  EventRecorder,
  type NatsEndpoint,
  type TestApp,
  uniquePrefix,
  waitUntil,
} from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Ctx, NatsContext, Payload } from '@nestjs/microservices';
import { connect } from '@nats-io/transport-node';

@Controller()
class OrderEventsController {
  readonly single: string[] = [];
  readonly deep: string[] = [];
  readonly everyInstance: string[] = [];

  @Event('orders.*')
  onOrder(@Payload() payload: { id: string }, @Ctx() ctx: NatsContext) {
    this.single.push(`${ctx.getSubject().split('.').slice(-1)[0]}:${payload.id}`);
  }

  @Event('orders.>')
  onAnyDepth(@Payload() payload: { id: string }) {
    this.deep.push(payload.id);
  }

  @Event('fanout.ping', { broadcast: true })
  onPing(@Payload() payload: { id: string }) {
    this.everyInstance.push(payload.id);
  }

  readonly refunds: string[] = [];

  @Event('refunds.issued')
  onRefund(@Payload() payload: { id: string }) {
    this.refunds.push(payload.id);
  }

  // A second handler on the same subject: both run, and its failure alone is dead-lettered.
  @Event('refunds.issued')
  onRefundAudit() {
    throw new Error('audit log down');
  }

  @Event('payments.failed')
  onPaymentFailed() {
    throw new Error('mailer down');
  }
}

describe('NatsServer: events', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    const options = { nats: { service: 'mailer', servers: nats.url, subjectPrefix: prefix }, logger: false as const };
    first = await createTestApp({ ...options, controllers: [OrderEventsController] });
    second = await createTestApp({ ...options, controllers: [OrderEventsController] });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await nats?.release();
  });

  const handled = (pick: (c: OrderEventsController) => string[]) =>
    [first, second].flatMap((app) => pick(app.app.get(OrderEventsController)));

  it('delivers `*` and `>` wildcard subjects, each event once per service', async () => {
    await first.client.emit('orders.created', { id: 'o1' });
    await first.client.emit('orders.paid', { id: 'o2' });
    await first.client.emit('orders.eu.created', { id: 'o3' });
    await waitUntil(() => handled((c) => c.deep).length === 3 && handled((c) => c.single).length === 2);
    expect(handled((c) => c.single).sort()).toEqual(['created:o1', 'paid:o2']);
    expect(handled((c) => c.deep).sort()).toEqual(['o1', 'o2', 'o3']);
  });

  it('reports each handled event on the subject it came on, under its route\'s pattern', async () => {
    const reports: HandledReport[] = [];
    const listener = (report: unknown) => {
      if ((report as HandledReport).subject.startsWith('orders.') || (report as HandledReport).subject === 'fanout.ping') reports.push(report as HandledReport);
    };
    subscribe(NATS_HANDLED_CHANNEL, listener);
    const emittedAt = performance.now();
    try {
      await first.client.emit('orders.shipped', { id: 'o4' });
      await first.client.emit('fanout.ping', { id: 'p0' });
      await waitUntil(() => reports.length === 4);
    } finally {
      unsubscribe(NATS_HANDLED_CHANNEL, listener);
      // The tests after this one count their own events from none.
      for (const app of [first, second]) app.app.get(OrderEventsController).everyInstance.length = 0;
    }
    expect(reports.map((r) => `${r.route} ${r.subject}`).sort()).toEqual([
      'fanout.ping fanout.ping',
      'fanout.ping fanout.ping',
      'orders.* orders.shipped',
      'orders.> orders.shipped',
    ]);
    // Each says when its handler finished, on this process's clock: after it started, and by now.
    for (const report of reports) {
      expect(report.finishedAt - report.durationMs).toBeGreaterThanOrEqual(emittedAt);
      expect(report.finishedAt).toBeLessThanOrEqual(performance.now());
    }
  });

  it('delivers a broadcast event to every instance', async () => {
    await first.client.emit('fanout.ping', { id: 'p1' });
    await waitUntil(() => handled((c) => c.everyInstance).length === 2);
    expect(handled((c) => c.everyInstance)).toEqual(['p1', 'p1']);
  });

  it('republishes an event whose handler fails to the dead-letter subject, with the error', async () => {
    const recorder = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.>`);
    try {
      await first.client.emit('payments.failed', { id: 'x1' });
      const [dead] = await recorder.waitFor(1);
      expect(dead!.subject).toBe(`${prefix}.cliffracer.dead-letter.payments.failed`);
      expect(dead!.payload).toEqual({ id: 'x1' });
      expect(dead!.headers[ORIGINAL_SUBJECT_HEADER]).toBe(`${prefix}.payments.failed`);
      expect(dead!.headers[DEAD_LETTER_ERROR_HEADER]).toBe('InternalError: Internal server error');
      expect(dead!.correlationId).toBeDefined();
    } finally {
      await recorder.close();
    }
  });

  it('runs every handler on one subject, dead-lettering the one that fails', async () => {
    const recorder = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.>`);
    try {
      await first.client.emit('refunds.issued', { id: 'r1' });
      const [dead] = await recorder.waitFor(1);
      await waitUntil(() => handled((c) => c.refunds).length === 1);
      expect(handled((c) => c.refunds)).toEqual(['r1']);
      expect(dead!.subject).toBe(`${prefix}.cliffracer.dead-letter.refunds.issued`);
      expect(dead!.headers[DEAD_LETTER_ERROR_HEADER]).toBe('InternalError: Internal server error');
      await new Promise((r) => setTimeout(r, 200));
      expect(recorder.events).toHaveLength(1);
    } finally {
      await recorder.close();
    }
  });

  it('dead-letters a malformed event instead of dropping it', async () => {
    const recorder = await EventRecorder.start(nats.url, `${prefix}.cliffracer.dead-letter.>`);
    const raw = await connect({ servers: nats.url });
    try {
      raw.publish(`${prefix}.orders.created`, '{"id": ');
      await raw.flush();
      const [dead] = await recorder.waitFor(1);
      expect(dead!.text).toBe('{"id": ');
      expect(dead!.headers[DEAD_LETTER_ERROR_HEADER]).toMatch(/^MalformedPayloadError: payload is not valid JSON/);
    } finally {
      await raw.close();
      await recorder.close();
    }
  });
});
