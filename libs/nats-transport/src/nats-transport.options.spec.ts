import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { normalizeNatsTransportOptions } from './nats-transport.options.js';

describe('normalizeNatsTransportOptions', () => {
  it('fills the defaults', () => {
    expect(normalizeNatsTransportOptions({ service: 'orders' })).toMatchObject({
      service: 'orders',
      servers: ['nats://127.0.0.1:4222'],
      subjectPrefix: '',
      requestTimeoutMs: 5000,
      maxReconnectAttempts: -1,
      durableReplicas: 1,
      maxConcurrentRequests: 256,
      maxQueuedRequests: 0,
      replyFlushBytes: 4096,
      connectRetry: { maxWaitMs: 60_000, initialDelayMs: 200, maxDelayMs: 5000 },
      description: '',
      discovery: true,
    });
  });

  it('keeps a semantic version for discovery as given, and no version when none is given', () => {
    expect(normalizeNatsTransportOptions({ service: 's', version: '2.0.0-rc.1+build.5' }).version).toBe('2.0.0-rc.1+build.5');
    expect(normalizeNatsTransportOptions({ service: 's' }).version).toBeUndefined();
  });

  it('fills the connect retry settings a service leaves out', () => {
    expect(normalizeNatsTransportOptions({ service: 's', connectRetry: { maxWaitMs: 0 } }).connectRetry).toEqual({
      maxWaitMs: 0,
      initialDelayMs: 200,
      maxDelayMs: 5000,
    });
  });

  it('ends a prefix with one dot', () => {
    expect(normalizeNatsTransportOptions({ service: 's', subjectPrefix: 'dev.eu' }).subjectPrefix).toBe('dev.eu.');
    expect(normalizeNatsTransportOptions({ service: 's', subjectPrefix: 'dev.' }).subjectPrefix).toBe('dev.');
  });

  it.each([
    [{ service: 'or.ders' }, /service must be a subject token/],
    [{ service: '' }, /service must be a subject token/],
    [{ service: 's', subjectPrefix: 'a.*' }, /subjectPrefix/],
    [{ service: 's', requestTimeoutMs: 0 }, /requestTimeoutMs/],
    [{ service: 's', maxReconnectAttempts: -2 }, /maxReconnectAttempts/],
    [{ service: 's', maxConcurrentRequests: 0 }, /maxConcurrentRequests must be a positive whole number/],
    [{ service: 's', maxQueuedRequests: -1 }, /maxQueuedRequests must be 0 or a positive whole number, got -1/],
    [{ service: 's', maxQueuedRequests: 2.5 }, /maxQueuedRequests/],
    [{ service: 's', replyFlushBytes: 0 }, /replyFlushBytes must be a positive whole number/],
    [{ service: 's', replyFlushBytes: 1024.5 }, /replyFlushBytes/],
    [{ service: 's', servers: [] }, /servers/],
    [{ service: 's', deadLetterSubject: 'dlq.>' }, /deadLetterSubject/],
    [{ service: 's', durableReplicas: 0 }, /durableReplicas must be a whole number from 1 to 5/],
    [{ service: 's', durableReplicas: 6 }, /durableReplicas/],
    [{ service: 's', connectRetry: { maxWaitMs: -1 } }, /connectRetry.maxWaitMs must be 0 or a positive whole number/],
    [{ service: 's', connectRetry: { initialDelayMs: 0 } }, /connectRetry.initialDelayMs/],
    [{ service: 's', connectRetry: { maxDelayMs: 1.5 } }, /connectRetry.maxDelayMs/],
    [{ service: 's', connectRetry: { initialDelayMs: 500, maxDelayMs: 100 } }, /must not be less than connectRetry.initialDelayMs/],
    [{ service: 's', version: 'v1.0' }, /version must be a semantic version such as 1.4.0 .*"v1.0"/],
    [{ service: 's', version: '1.02.0' }, /version must be a semantic version/],
    [{ service: 's', version: 3 as unknown as string }, /version must be a semantic version/],
    [{ service: 's', description: null as unknown as string }, /description must be a string/],
    [{ service: 's', discovery: 'yes' as unknown as boolean }, /discovery must be true or false/],
  ])('rejects %j', (options, message) => {
    expect(() => normalizeNatsTransportOptions(options)).toThrow(InvalidOptionsError);
    expect(() => normalizeNatsTransportOptions(options)).toThrow(message);
  });
});
