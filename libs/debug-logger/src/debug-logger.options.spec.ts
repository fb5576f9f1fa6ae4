import { InvalidOptionsError } from '@cliffracer/common';
import { describe, expect, it } from '@jest/globals';
import { normalizeDebugLoggerOptions } from './debug-logger.options.js';

describe('normalizeDebugLoggerOptions', () => {
  it('is off with the default folder when the environment says nothing', () => {
    const options = normalizeDebugLoggerOptions({}, {});
    expect(options.enabled).toBe(false);
    expect(options.dir).toBe('./debug_logs');
  });

  it('takes DEBUG_MODE and DEBUG_LOG_DIR from the environment', () => {
    const options = normalizeDebugLoggerOptions({}, { DEBUG_MODE: 'true', DEBUG_LOG_DIR: '/tmp/x' });
    expect(options.enabled).toBe(true);
    expect(options.dir).toBe('/tmp/x');
  });

  it('lets options override the environment', () => {
    expect(normalizeDebugLoggerOptions({ enabled: false }, { DEBUG_MODE: 'true' }).enabled).toBe(false);
  });

  it.each([{ slowRatio: 0 }, { slowRatio: 2 }, { flushIntervalMs: 0 }, { sessionId: '../x' }])('rejects %p', (options) => {
    expect(() => normalizeDebugLoggerOptions(options, {})).toThrow(InvalidOptionsError);
  });
});
