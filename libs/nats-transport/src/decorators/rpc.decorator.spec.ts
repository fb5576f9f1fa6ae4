import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { Event } from './event.decorator.js';
import { Rpc } from './rpc.decorator.js';

describe('@Rpc', () => {
  it('leaves the method callable as it was', () => {
    class Service {
      @Rpc()
      double(n: number) {
        return n * 2;
      }
    }
    expect(new Service().double(4)).toBe(8);
  });

  it('rejects a name that is not one subject token', () => {
    expect(() => Rpc('a.b')({}, 'x', { value: () => 1 })).toThrow(InvalidOptionsError);
  });

  it('rejects a timeout that is not a positive whole number', () => {
    expect(() => Rpc({ timeoutMs: -1 })({}, 'x', { value: () => 1 })).toThrow('timeoutMs must be a positive whole number');
  });

  it.each([
    [{ maxConcurrent: 0 }, 'maxConcurrent of rpc x must be a positive whole number, got 0'],
    [{ maxConcurrent: 1.5 }, 'maxConcurrent of rpc x must be a positive whole number, got 1.5'],
    [{ maxConcurrent: 2, maxQueued: -1 }, 'maxQueued of rpc x must be a whole number, 0 or more, got -1'],
    [{ maxQueued: 5 }, 'maxQueued of rpc x needs maxConcurrent'],
  ])('rejects the bulkhead %j when the class loads', (options, message) => {
    expect(() => Rpc(options)({}, 'x', { value: () => 1 })).toThrow(InvalidOptionsError);
    expect(() => Rpc(options)({}, 'x', { value: () => 1 })).toThrow(message);
  });
});

describe('@Event', () => {
  it.each(['orders.', 'a..b', 'a.>.b', ''])('rejects the subject %j', (subject) => {
    expect(() => Event(subject)).toThrow(InvalidOptionsError);
  });

  it('accepts wildcards', () => {
    expect(() => Event('orders.*.created')).not.toThrow();
    expect(() => Event('orders.>')).not.toThrow();
  });
});
