import { describe, expect, it } from '@jest/globals';
import { CorrelationContext } from '@cliffracer/correlation';
import { captureMessageContext } from './message-context.js';

describe('captureMessageContext', () => {
  it('runs later work in the correlation context it was captured in, wherever it is called', () => {
    const inFirst = CorrelationContext.run('first', () => captureMessageContext());
    expect(CorrelationContext.run('second', () => inFirst(() => CorrelationContext.currentId()))).toBe('first');
  });

  it('keeps work captured outside any message outside one', () => {
    const outside = captureMessageContext();
    expect(CorrelationContext.run('second', () => outside(() => CorrelationContext.currentId()))).toBeUndefined();
  });
});
