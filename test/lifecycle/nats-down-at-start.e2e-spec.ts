import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient } from '@cliffracer/nats-transport';
import { freePort, NatsServerProcess, uniquePrefix } from '@cliffracer/testing';
import { buildSlowService, ServiceProcess } from './service-process.js';

describe('a service started while NATS is down', () => {
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    await buildSlowService();
  }, 120_000);

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('waits, retrying with a logged backoff and not ready, until NATS starts, then answers RPCs', async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    const prefix = uniquePrefix();
    const service = ServiceProcess.start({ NATS_URL: url, NATS_SUBJECT_PREFIX: prefix });
    cleanup.push(() => service[Symbol.asyncDispose]());

    await service.waitForLine(new RegExp(`NATS not reachable at ${url} \\(attempt 1\\), retrying in 200ms`));
    await new Promise((r) => setTimeout(r, 2000));
    expect(service.running).toBe(true);
    expect(service.lines.filter((line) => /slow ready/.test(line))).toEqual([]);
    expect(service.lines).toContainEqual(expect.stringMatching(/\(attempt 3\), retrying in 800ms/));

    const nats = await NatsServerProcess.start({ port, jetstream: false });
    cleanup.push(() => nats.stop());
    await service.waitForLine(/slow ready: HTTP/);
    const caller = new NatsClient({ service: 'caller', servers: url, subjectPrefix: prefix });
    cleanup.push(() => caller.close());
    await expect(caller.call('slow', 'slow', { ms: 0, n: 7 })).resolves.toBe(7);
  }, 60_000);

  it('stops at once on SIGTERM while it waits, exiting 0 with "shutdown complete" last', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const service = ServiceProcess.start({ NATS_URL: url, NATS_SUBJECT_PREFIX: uniquePrefix() });
    cleanup.push(() => service[Symbol.asyncDispose]());
    await service.waitForLine(/\(attempt 2\), retrying in 400ms/);

    const signalledAt = Date.now();
    service.signal('SIGTERM');

    expect(await service.exit()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(service.lastLine()).toMatch(/shutdown complete$/);
  }, 60_000);

  it('gives up after connectRetry.maxWaitMs, exiting 1 with one line naming NATS and no stack', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const service = ServiceProcess.start({ NATS_URL: url, NATS_SUBJECT_PREFIX: uniquePrefix(), NATS_CONNECT_MAX_WAIT_MS: '1000' });
    cleanup.push(() => service[Symbol.asyncDispose]());

    const exit = await service.exit();

    expect(exit).toEqual({ code: 1, signal: null });
    const failures = service.lines.filter((line) => /could not start/.test(line));
    expect(failures).toEqual([
      expect.stringMatching(new RegExp(`could not start: NATS not reachable at ${url} after \\d+ attempt\\(s\\) in \\d+ms: connection refused$`)),
    ]);
    expect(service.lines.filter((line) => /^\s+at |ConnectionError/.test(line))).toEqual([]);
  }, 60_000);
});
