import { InvalidOptionsError } from '@cliffracer/common';
import { describe, expect, it } from '@jest/globals';
import { backoffAfter, normalizeDurableOptions } from './durable-options.js';

describe('normalizeDurableOptions', () => {
  it('is undefined for a core event', () => {
    expect(normalizeDurableOptions('a.b', {})).toBeUndefined();
  });

  it('fills the defaults', () => {
    expect(normalizeDurableOptions('a.b', { durable: 'ship' })).toEqual({
      name: 'ship',
      maxDeliver: 5,
      backoffMs: [1000, 5000, 30000],
      ackWaitMs: 30000,
    });
  });

  it.each([
    [{ durable: 'has.dot' }, 'durable name must be one subject token'],
    [{ durable: 'x', broadcast: true }, 'cannot be both durable and broadcast'],
    [{ durable: 'x', maxDeliver: 0 }, 'maxDeliver must be a positive whole number'],
    [{ durable: 'x', backoffMs: [] }, 'backoffMs must be a positive whole number'],
    [{ durable: 'x', backoffMs: [10, -1] }, 'backoffMs must be a positive whole number'],
  ])('rejects %p', (options, message) => {
    expect(() => normalizeDurableOptions('a.b', options)).toThrow(InvalidOptionsError);
    expect(() => normalizeDurableOptions('a.b', options)).toThrow(message);
  });
});

describe('backoffAfter', () => {
  const spec = { name: 'x', maxDeliver: 9, backoffMs: [10, 20, 30], ackWaitMs: 1000 };

  it('waits the backoff of the failed delivery', () => {
    expect([1, 2, 3].map((n) => backoffAfter(spec, n))).toEqual([10, 20, 30]);
  });

  it('repeats the last backoff for later deliveries', () => {
    expect(backoffAfter(spec, 7)).toBe(30);
  });
});
