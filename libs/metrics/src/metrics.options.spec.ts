import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import type { MetricsModuleOptions } from './interfaces/metrics-options.interface.js';
import { normalizeMetricsOptions } from './metrics.options.js';

describe('normalizeMetricsOptions', () => {
  it('binds to the loopback address and opens no listener unless told', () => {
    expect(normalizeMetricsOptions({ service: 'notifications' })).toEqual({ service: 'notifications', host: '127.0.0.1' });
  });

  it('keeps a port and host', () => {
    expect(normalizeMetricsOptions({ service: 'n', port: 9464, host: '0.0.0.0' })).toEqual({ service: 'n', port: 9464, host: '0.0.0.0' });
  });

  it.each([
    [{ service: '' }, 'invalid Metrics options: service must be a non-empty string, got ""'],
    [{}, 'invalid Metrics options: service must be a non-empty string, got undefined'],
    [{ service: 'n', port: 70000 }, 'invalid Metrics options: port must be a whole number from 0 to 65535, got 70000'],
    [{ service: 'n', port: '9464' }, 'invalid Metrics options: port must be a whole number from 0 to 65535, got "9464"'],
    [{ service: 'n', port: 1.5 }, 'invalid Metrics options: port must be a whole number from 0 to 65535, got 1.5'],
    [{ service: 'n', host: ' ' }, 'invalid Metrics options: host must be a non-empty address, got " "'],
  ])('refuses %j at boot', (options, message) => {
    expect(() => normalizeMetricsOptions(options as MetricsModuleOptions)).toThrow(new InvalidOptionsError('Metrics', message.replace('invalid Metrics options: ', '')));
  });
});
