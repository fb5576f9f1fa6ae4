import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, Ledger, NatsServerProcess, type TestApp } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { drive } from './load.js';

const MIB = 1024 * 1024;
const LARGE = 2 * MIB;

@Controller()
class ReportController {
  effect: (id: string) => void = () => undefined;

  /** Answers `bytes` characters; its side effect happens before the reply is sent. */
  @Rpc()
  report(@Payload() request: { id: string; bytes: number }): string {
    this.effect(request.id);
    return 'x'.repeat(request.bytes);
  }
}

describe('fault: a 2 MiB reply among small ones', () => {
  const cleanup: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start(maxPayload?: number): Promise<{ service: TestApp; caller: NatsClient }> {
    const nats = await NatsServerProcess.start({ jetstream: false, ...(maxPayload !== undefined && { maxPayload }) });
    cleanup.push(() => nats.stop());
    const service = await createTestApp({ nats: { service: 'ledger', servers: nats.url }, controllers: [ReportController], logger: false });
    cleanup.push(() => service.close());
    const caller = new NatsClient({ service: 'caller', servers: nats.url });
    cleanup.push(() => caller.close());
    return { service, caller };
  }

  /** Every 25th request asks for the large reply. */
  const bytesOf = (n: number) => (n % 25 === 0 ? LARGE : 100);

  it('over the server max_payload (1 MiB): the large ones fail at once with PayloadTooLargeError, the others are answered', async () => {
    const { service, caller } = await start();
    const ledger = new Ledger('large-reply', { allowedErrors: ['PayloadTooLargeError'], fastErrorMs: 1000, effectOnOk: true });
    service.app.get(ReportController).effect = (id) => ledger.effect(id);
    const failures: Error[] = [];
    const logged: string[] = [];
    for (const level of ['warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => void logged.push(`${level}: ${String(message)}`));
    }
    cleanup.push(async () => jest.restoreAllMocks());

    await drive(ledger, { count: 1000, concurrency: 10 }, async (id, n) => {
      const reply = await caller.call<string>('ledger', 'report', { id, bytes: bytesOf(n) }).catch((error: Error) => {
        failures.push(error);
        throw error;
      });
      if (reply.length !== bytesOf(n)) throw new Error(`reply of ${reply.length} characters for ${bytesOf(n)}`);
    });

    ledger.note('log_lines', logged.length);
    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.errors).toEqual({ PayloadTooLargeError: 40 });
    // Said once for the burst, as the service's own reply (not a refused request).
    expect(logged).toEqual([`warn: could not send the reply on ledger.report: message of ${LARGE + 2} bytes is over the server's max_payload of ${MIB} bytes: ledger.report`]);
    expect(failures[0]).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(failures[0]!.message).toMatch(/ledger\.report/);
  }, 30_000);

  it('within a server max_payload of 4 MiB: every reply arrives whole', async () => {
    const { service, caller } = await start(4 * MIB);
    const ledger = new Ledger('large-reply-allowed', { allowedErrors: [], effectOnOk: true });
    service.app.get(ReportController).effect = (id) => ledger.effect(id);

    await drive(ledger, { count: 1000, concurrency: 10 }, async (id, n) => {
      const reply = await caller.call<string>('ledger', 'report', { id, bytes: bytesOf(n) });
      if (reply.length !== bytesOf(n)) throw new Error(`reply of ${reply.length} characters for ${bytesOf(n)}`);
    });

    const summary = ledger.report();
    expect(summary.violations).toEqual([]);
    expect(summary.ok).toBe(1000);
  }, 30_000);
});
