import { describe, expect, it } from '@jest/globals';
import { CorrelationContext } from './correlation.context.js';

describe('CorrelationContext', () => {
  describe('forward', () => {
    it('keeps forwarded headers for the rest of the request, across awaits', async () => {
      const seen = await CorrelationContext.run('c-1', async () => {
        CorrelationContext.forward('Authorization', 'Bearer t');
        await Promise.resolve();
        return CorrelationContext.forwardedHeaders()?.get('Authorization');
      });
      expect(seen).toBe('Bearer t');
    });

    it('does not leak into another request', () => {
      CorrelationContext.run('c-1', () => CorrelationContext.forward('Authorization', 'Bearer t'));
      expect(CorrelationContext.run('c-2', () => CorrelationContext.forwardedHeaders())).toBeUndefined();
    });

    it('does nothing outside a request', () => {
      expect(CorrelationContext.forward('Authorization', 'Bearer t')).toBe(false);
      expect(CorrelationContext.forwardedHeaders()).toBeUndefined();
    });
  });
});
