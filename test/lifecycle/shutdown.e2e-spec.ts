import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CorrelationContext } from '@cliffracer/correlation';
import { NatsClient } from '@cliffracer/nats-transport';
import { ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { buildSlowService, ServiceProcess } from './service-process.js';

describe('a service process shutting down', () => {
  let nats: NatsEndpoint;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    nats = await ensureNats();
    await buildSlowService();
  }, 120_000);

  afterAll(async () => {
    await nats?.release();
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function startService(env: Record<string, string> = {}): Promise<{ service: ServiceProcess; caller: NatsClient }> {
    const prefix = uniquePrefix();
    const service = ServiceProcess.start({ NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix, ...env });
    cleanup.push(() => service[Symbol.asyncDispose]());
    await service.waitForLine(/slow ready: HTTP/);
    const caller = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix: prefix });
    cleanup.push(() => caller.close());
    return { service, caller };
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('answers every in-flight request on %s, then exits 0 with "shutdown complete" last', async (signal) => {
    const { service, caller } = await startService();
    const calls = Array.from({ length: 5 }, (_, n) => caller.call<number>('slow', 'slow', { ms: 1500, n }, { timeoutMs: 10_000 }));
    await new Promise((r) => setTimeout(r, 300));

    service.signal(signal);

    await expect(Promise.all(calls)).resolves.toEqual([0, 1, 2, 3, 4]);
    expect(await service.exit()).toEqual({ code: 0, signal: null });
    expect(service.lines).toContainEqual(expect.stringContaining(`shutting down (${signal})`));
    expect(service.lastLine()).toMatch(/shutdown complete$/);
  }, 60_000);

  it('logs a handler still running at the grace deadline by subject and correlation ID, and exits 1', async () => {
    const { service, caller } = await startService({ NATS_SHUTDOWN_GRACE_MS: '500' });
    const slow = CorrelationContext.run('stuck-order-42', () => caller.call('slow', 'slow', { ms: 20_000, n: 1 }, { timeoutMs: 30_000 }));
    void slow.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));

    service.signal('SIGTERM');

    expect(await service.exit()).toEqual({ code: 1, signal: null });
    const subject = `${(caller.options.subjectPrefix)}slow.slow`;
    expect(service.lines).toContainEqual(
      expect.stringMatching(new RegExp(`handler still running at the grace deadline: ${subject} \\(correlation stuck-order-42, running \\d+ms\\)`)),
    );
    expect(service.lastLine()).toMatch(/shutdown complete, 1 handler\(s\) cut off at the grace deadline$/);
  }, 60_000);

  it.each([
    ['reject_later', 'unhandled rejection', 'Error: boom'],
    ['throw_later', 'uncaught exception', 'Error: kaboom'],
  ])('after %s: logs the %s, answers in-flight requests, then exits 1', async (method, kind, error) => {
    const { service, caller } = await startService();
    const calls = Array.from({ length: 3 }, (_, n) => caller.call<number>('slow', 'slow', { ms: 1500, n }, { timeoutMs: 10_000 }));
    await new Promise((r) => setTimeout(r, 200));

    await expect(caller.call('slow', method, {})).resolves.toBe('scheduled');

    await expect(Promise.all(calls)).resolves.toEqual([0, 1, 2]);
    expect(await service.exit()).toEqual({ code: 1, signal: null });
    expect(service.lines).toContainEqual(expect.stringContaining(`${kind} outside a handler, shutting down with 3 handler(s) in flight: ${error}`));
    expect(service.lastLine()).toMatch(/shutdown complete$/);
  }, 60_000);
});
