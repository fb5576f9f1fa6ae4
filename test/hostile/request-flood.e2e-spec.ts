import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ERROR_STATUS_HEADER, OverloadedError, Rpc } from '@cliffracer/nats-transport';
import { CapturingLogger, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { createInbox, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { startServiceWithRaw } from '../support/service-with-raw.js';

/** An RPC that waits on something slow: it answers once the test lets it go. */
@Controller()
class StuckController {
  private release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  @Rpc()
  async wait(): Promise<string> {
    await this.released;
    return 'done';
  }

  letGo(): void {
    this.release();
  }
}

const SENT = 200;
const MAX = 50;

// Before the bound, 200,000 such requests grew the process by 200 MB and stalled its event loop 1.8 s.
describe('A flood of requests at a stuck handler', () => {
  let service: TestApp;
  let raw: NatsConnection;
  let stop: (() => Promise<void>) | undefined;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    ({ service, raw, close: stop } = await startServiceWithRaw({
      nats: { service: 'stuck', maxConcurrentRequests: MAX },
      controllers: [StuckController],
      logger,
    }));
  });

  afterAll(async () => {
    service?.app.get(StuckController).letGo();
    await stop?.();
  });

  it('answers requests past maxConcurrentRequests at once with OVERLOADED (503), logged once, and the rest when the handler goes on', async () => {
    const inbox = createInbox();
    const replies: Msg[] = [];
    raw.subscribe(inbox, {
      callback: (_error, msg) => {
        replies.push(msg);
      },
    });
    for (let i = 0; i < SENT; i++) raw.publish(`${service.server.options.subjectPrefix}stuck.wait`, '{}', { reply: inbox });
    await raw.flush();
    await waitUntil(() => replies.length === SENT - MAX, 5000);
    expect(replies.every((r) => r.headers?.get(ERROR_STATUS_HEADER) === '503' && r.json<{ code: string }>().code === 'OVERLOADED')).toBe(true);
    expect(logger.lines).toEqual([expect.stringContaining(`request refused: ${MAX} requests are being handled already`)]);
    await expect(service.client.call('stuck', 'wait', {})).rejects.toBeInstanceOf(OverloadedError);
    service.app.get(StuckController).letGo();
    await waitUntil(() => replies.length === SENT, 5000);
    expect(replies.slice(SENT - MAX).map((r) => r.json())).toEqual(Array(MAX).fill('done'));
    await expect(service.client.call('stuck', 'wait', {})).resolves.toBe('done');
  });
});
