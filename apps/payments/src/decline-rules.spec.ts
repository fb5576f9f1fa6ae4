import { describe, expect, it } from '@jest/globals';
import { declineReason } from './decline-rules.js';

describe('declineReason', () => {
  it('lets a good card through up to the limit', () => {
    expect(declineReason('tok_visa', 100_000, 100_000)).toBeUndefined();
  });

  it.each([
    ['tok_declined', 'card declined'],
    ['tok_insufficient_funds', 'insufficient funds'],
    ['tok_expired', 'card expired'],
  ])('refuses the test token %s: %s', (token, reason) => {
    expect(declineReason(token, 100, 100_000)).toBe(reason);
  });

  it('refuses an amount over the limit', () => {
    expect(declineReason('tok_visa', 100_001, 100_000)).toBe('amount over the limit of 100000 cents');
  });
});
