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
