import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { normalizeNatsTransportOptions } from '../nats-transport.options.js';
import { normalizeCallRetry, normalizeCircuitBreaker } from './resilience.options.js';

describe('normalizeCallRetry', () => {
  it('fills the defaults: 3 attempts from 100 ms up to 2 s, each attempt the rest of the deadline', () => {
    expect(normalizeCallRetry('NatsClient', {})).toMatchObject({ attempts: 3, initialDelayMs: 100, maxDelayMs: 2000 });
    expect(normalizeCallRetry('NatsClient', {}).attemptTimeoutMs).toBeUndefined();
  });

  it('overrides the fields a call gives over its client policy', () => {
    const client = normalizeCallRetry('NatsClient', { attempts: 5, attemptTimeoutMs: 500 });
    expect(normalizeCallRetry('NatsClient', { attempts: 2 }, client)).toMatchObject({ attempts: 2, attemptTimeoutMs: 500, initialDelayMs: 100 });
  });

  it.each([
    [{ attempts: 0 }, 'retry.attempts must be a whole number from 1 to 10, got 0'],
    [{ attempts: 11 }, 'retry.attempts must be a whole number from 1 to 10, got 11'],
    [{ attempts: 2.5 }, 'retry.attempts'],
    [{ initialDelayMs: -5 }, 'retry.initialDelayMs must be a positive whole number of milliseconds, got -5'],
    [{ attemptTimeoutMs: 0 }, 'retry.attemptTimeoutMs must be a positive whole number'],
    [{ initialDelayMs: 500, maxDelayMs: 100 }, 'retry.maxDelayMs (100) must not be less than retry.initialDelayMs (500)'],
    [{ retries: 3 }, 'unknown retry option "retries": use attempts, initialDelayMs, maxDelayMs, attemptTimeoutMs'],
    ['yes', 'retry must be an object of options, got "yes"'],
  ])('rejects %j', (options, message) => {
    expect(() => normalizeCallRetry('NatsClient', options as never)).toThrow(InvalidOptionsError);
    expect(() => normalizeCallRetry('NatsClient', options as never)).toThrow(message);
  });
});

describe('normalizeCircuitBreaker', () => {
  it('fills the defaults: 5 failures in a row, a probe after 10 s', () => {
    expect(normalizeCircuitBreaker('NatsTransport', {})).toEqual({ failureThreshold: 5, halfOpenAfterMs: 10_000 });
  });

  it.each([
    [{ failureThreshold: 0 }, 'circuitBreaker.failureThreshold must be a positive whole number, got 0'],
    [{ halfOpenAfterMs: 1.5 }, 'circuitBreaker.halfOpenAfterMs must be a positive whole number, got 1.5'],
    [{ threshold: 3 }, 'unknown circuitBreaker option "threshold": use failureThreshold, halfOpenAfterMs'],
  ])('rejects %j', (options, message) => {
    expect(() => normalizeCircuitBreaker('NatsTransport', options as never)).toThrow(message);
  });
});

describe('the module options', () => {
  it('check retry and circuitBreaker at boot', () => {
    expect(() => normalizeNatsTransportOptions({ service: 's', retry: { attempts: 99 } })).toThrow('invalid NatsTransport options: retry.attempts must be a whole number from 1 to 10, got 99');
    expect(() => normalizeNatsTransportOptions({ service: 's', circuitBreaker: { failureThreshold: -1 } })).toThrow(InvalidOptionsError);
  });

  it('leave both off unless given', () => {
    const options = normalizeNatsTransportOptions({ service: 's' });
    expect(options.retry).toBeUndefined();
    expect(options.circuitBreaker).toBeUndefined();
  });
});
