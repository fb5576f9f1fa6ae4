import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { normalizeDebugLoggerOptions } from './debug-logger.options.js';
import { DebugLogger } from './debug.logger.js';
import { StressDetector } from './stress.detector.js';

describe('StressDetector', () => {
  let logger: DebugLogger;
  let entries: Array<{ kind: string; severity: string; fields: Record<string, unknown> }>;
  let detector: StressDetector;
  const sample = { subject: 'orders.get', correlationId: 'c', timeoutMs: 1000, failed: false };

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    logger = new DebugLogger(normalizeDebugLoggerOptions({ enabled: false, errorBurstCount: 3, errorBurstWindowMs: 1000 }, {}));
    entries = [];
    jest.spyOn(logger, 'stress').mockImplementation((kind, severity, fields = {}) => {
      entries.push({ kind, severity, fields });
    });
    detector = new StressDetector(logger);
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('ignores work under half its timeout', () => {
    detector.work('rpc', { ...sample, durationMs: 499 });
    expect(entries).toEqual([]);
  });

  it('reports work past half its timeout as a warning', () => {
    detector.work('rpc', { ...sample, durationMs: 600 });
    expect(entries).toEqual([{ kind: 'slow_handler', severity: 'warning', fields: expect.objectContaining({ operation: 'orders.get', ratio: 0.6 }) }]);
  });

  it('reports work past its timeout as critical', () => {
    detector.work('call', { ...sample, durationMs: 1000 });
    expect(entries[0]).toMatchObject({ kind: 'slow_call', severity: 'critical' });
  });

  it('reports a burst of failures once per window', () => {
    for (let i = 0; i < 6; i += 1) detector.work('rpc', { ...sample, durationMs: 1, failed: true });
    expect(entries.map((e) => e.kind)).toEqual(['error_burst']);
    jest.setSystemTime(1500);
    for (let i = 0; i < 3; i += 1) detector.work('rpc', { ...sample, durationMs: 1, failed: true });
    expect(entries.map((e) => e.kind)).toEqual(['error_burst', 'error_burst']);
  });

  it('does not count failures that left the window', () => {
    detector.work('rpc', { ...sample, durationMs: 1, failed: true });
    detector.work('rpc', { ...sample, durationMs: 1, failed: true });
    jest.setSystemTime(2000);
    detector.work('rpc', { ...sample, durationMs: 1, failed: true });
    expect(entries).toEqual([]);
  });

  it('reports a timer overrun and a lost connection', () => {
    detector.timerOverran('Janitor.sweep', 'c', 1500, 1000);
    detector.connection('disconnected', 'server', 'nats://x');
    expect(entries.map((e) => [e.kind, e.severity])).toEqual([['timer_overrun', 'warning'], ['nats_disconnected', 'critical']]);
  });
});
