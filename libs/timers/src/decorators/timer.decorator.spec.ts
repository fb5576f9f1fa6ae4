import { InvalidOptionsError } from '@cliffracer/common';
import { describe, expect, it } from '@jest/globals';
import { Reflector } from '@nestjs/core';
import { TIMER_METADATA } from '../timers.constants.js';
import { Timer } from './timer.decorator.js';

class Jobs {
  @Timer(5000)
  plain(): void {}

  @Timer(1000, { eager: true, name: 'custom' })
  withOptions(): void {}

  @Timer('named', 250, { eager: true })
  named(): void {}
}

const reflector = new Reflector();

describe('Timer', () => {
  it('records the interval and a default name of Class.method', () => {
    expect(reflector.get(TIMER_METADATA, Jobs.prototype.plain)).toEqual({ name: 'Jobs.plain', intervalMs: 5000, eager: false });
  });

  it('records eager and a custom name from options', () => {
    expect(reflector.get(TIMER_METADATA, Jobs.prototype.withOptions)).toEqual({ name: 'custom', intervalMs: 1000, eager: true });
  });

  it('takes the name first in the named form', () => {
    expect(reflector.get(TIMER_METADATA, Jobs.prototype.named)).toEqual({ name: 'named', intervalMs: 250, eager: true });
  });

  it('leaves the method callable as it was', () => {
    expect(new Jobs().plain()).toBeUndefined();
  });

  it.each([0, -5, 1.5, Number.NaN])('rejects the interval %p', (interval) => {
    expect(() => Timer(interval)).toThrow(InvalidOptionsError);
  });

  it('rejects an empty name', () => {
    expect(() => Timer('', 100)).toThrow('timer name must be a non-empty string');
  });
});
