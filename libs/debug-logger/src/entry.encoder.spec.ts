import { describe, expect, it } from '@jest/globals';
import { EntryEncoder, type TimingEntry } from './entry.encoder.js';
import { LineBuffer } from './line.buffer.js';

describe('EntryEncoder', () => {
  const encoder = new EntryEncoder('20260101_120000', 'orders');
  // Each case encodes one line and reads it back.
  const line = (write: (out: LineBuffer) => void) => {
    const out = new LineBuffer();
    write(out);
    const text = out.take().toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.indexOf('\n')).toBe(text.length - 1);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const encode = (category: string, msg: string, level: string, correlationId: string | null, fields: Record<string, unknown>) =>
    line((out) => encoder.encode(out, category, msg, level, correlationId, fields, Date.now()));
  const encodeTiming = (category: string, msg: string, timing: TimingEntry) => line((out) => encoder.encodeTiming(out, category, msg, timing, Date.now()));

  describe('encode', () => {
    it('writes the standard fields, then the given ones', () => {
      const entry = encode('rpc', 'rpc.handled', 'info', 'cid-1', { operation: 'orders.get', duration_ms: 1.25, success: true });
      expect(entry).toEqual({
        session_id: '20260101_120000',
        service: 'orders',
        level: 'info',
        category: 'rpc',
        msg: 'rpc.handled',
        timestamp: expect.any(String),
        elapsed_seconds: expect.any(Number),
        correlation_id: 'cid-1',
        operation: 'orders.get',
        duration_ms: 1.25,
        success: true,
      });
      expect(Date.parse(entry.timestamp as string)).not.toBeNaN();
    });

    it('escapes strings that need it, in values, keys and the correlation ID', () => {
      const hostile = 'a"b\\c\nd\u2028';
      const entry = encode('rpc', 'x', 'info', hostile, { [hostile]: hostile, nested: { quote: '"' } });
      expect(entry).toMatchObject({ correlation_id: hostile, [hostile]: hostile, nested: { quote: '"' } });
    });

    it('leaves out undefined fields and the correlationId field, and writes non-finite numbers as null', () => {
      const entry = encode('rpc', 'x', 'warn', null, { correlationId: 'ignored', gone: undefined, ratio: Number.NaN });
      expect(entry.correlation_id).toBeNull();
      expect(entry).not.toHaveProperty('gone');
      expect(entry).not.toHaveProperty('correlationId');
      expect(entry.ratio).toBeNull();
    });

    it('stamps the entry with the time it was logged at', () => {
      const at = Date.parse('2026-03-04T05:06:07.089Z');
      const entry = line((out) => encoder.encode(out, 'rpc', 'x', 'info', null, {}, at));
      expect(entry.timestamp).toBe('2026-03-04T05:06:07.089Z');
    });

    it('keeps the head of each level apart', () => {
      expect(encode('rpc', 'x', 'info', null, {}).level).toBe('info');
      expect(encode('rpc', 'x', 'warn', null, {}).level).toBe('warn');
    });
  });

  describe('encodeTiming', () => {
    it('writes the operation, the duration to the microsecond and success at level info', () => {
      const entry = encodeTiming('rpc', 'rpc.handled', { correlationId: 'cid-2', operation: 'orders.get', durationMs: 12.3456789, failed: false });
      expect(entry).toMatchObject({ level: 'info', category: 'rpc', msg: 'rpc.handled', correlation_id: 'cid-2', operation: 'orders.get', duration_ms: 12.346, success: true });
      expect(entry).not.toHaveProperty('error');
      expect(entry).not.toHaveProperty('interval_ms');
    });

    it('writes a failure at level warn with its error, and a timer interval', () => {
      const timing = { correlationId: 'c', operation: 'sweep', durationMs: 0.0004, intervalMs: 5000, failed: true, error: { name: 'Boom', message: 'a "quoted" failure' } };
      const entry = encodeTiming('timers', 'timer.run', timing);
      expect(entry).toMatchObject({ level: 'warn', duration_ms: 0, interval_ms: 5000, success: false, error: { name: 'Boom', message: 'a "quoted" failure' } });
    });

    it('writes a duration that is not a number as null', () => {
      expect(encodeTiming('rpc', 'x', { correlationId: 'c', operation: 'o', durationMs: Number.NaN, failed: false }).duration_ms).toBeNull();
    });
  });
});
