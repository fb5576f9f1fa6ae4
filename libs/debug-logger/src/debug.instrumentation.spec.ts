import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type CallReport, type HandledReport, NATS_CALL_CHANNEL, NATS_HANDLED_CHANNEL } from '@cliffracer/nats-transport';
import { channel } from 'node:diagnostics_channel';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeDebugLoggerOptions } from './debug-logger.options.js';
import { DebugInstrumentation } from './debug.instrumentation.js';
import { DebugLogger } from './debug.logger.js';

const handled = (correlationId: string, finishedAt: number, failed = false): HandledReport => ({
  kind: 'event',
  service: 'orders',
  subject: 'orders.placed',
  route: 'orders.placed',
  correlationId,
  durationMs: 1,
  finishedAt,
  timeoutMs: 30_000,
  failed,
  errorName: undefined,
  errorCode: failed ? 'INTERNAL' : undefined,
  errorMessage: undefined,
});

async function entries(file: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('DebugInstrumentation', () => {
  let dir: string;
  let logger: DebugLogger;
  let instrumentation: DebugInstrumentation;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'debug-instrumentation-'));
    logger = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir, service: 'orders', sessionId: '20260101_180000', timingsPerSecond: 10 }, {}));
    instrumentation = new DebugInstrumentation(logger);
    instrumentation.start();
  });

  afterEach(async () => {
    instrumentation.stop();
    await logger.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('samples by the time each report says its work ended, not by when it is read', async () => {
    // A whole number: start + 1000 is then exactly a second on, where a fraction could fall short.
    const start = Math.floor(performance.now());
    for (let i = 0; i < 100; i += 1) channel(NATS_HANDLED_CHANNEL).publish(handled(`c${i}`, start + i));
    // A second after the first report, by the reports' own clock: the window ends here.
    channel(NATS_HANDLED_CHANNEL).publish(handled('failed', start + 1000, true));
    await logger.flush();
    const written = await entries(logger.fileOf('events'));
    expect(written.filter((e) => e.msg === 'timings.sampled')).toEqual([expect.objectContaining({ skipped: 90, written: 10, window_ms: 1000 })]);
    expect(written.at(-1)).toMatchObject({ msg: 'event.handled', correlation_id: 'failed', success: false });
  });

  it('times calls in the rpc category, and ignores reports of other services', async () => {
    const call: CallReport = { service: 'orders', subject: 'stock.get', correlationId: 'call-1', durationMs: 2, finishedAt: performance.now(), timeoutMs: 1000, failed: false, errorName: undefined, errorCode: undefined };
    channel(NATS_CALL_CHANNEL).publish(call);
    channel(NATS_CALL_CHANNEL).publish({ ...call, service: 'billing', correlationId: 'theirs' });
    await logger.flush();
    expect((await entries(logger.fileOf('rpc'))).map((e) => [e.msg, e.correlation_id, e.operation])).toEqual([['rpc.call', 'call-1', 'stock.get']]);
  });
});
