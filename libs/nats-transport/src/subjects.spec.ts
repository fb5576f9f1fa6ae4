import { describe, expect, it } from '@jest/globals';
import { subjectCovers } from './subjects.js';

describe('subjectCovers', () => {
  it.each([
    ['orders.>', 'orders.created', true],
    ['orders.>', 'orders.a.b', true],
    ['orders.>', 'orders.*', true],
    ['orders.>', 'orders', false],
    ['orders.*', 'orders.created', true],
    ['orders.*', 'orders.a.b', false],
    ['orders.*', 'orders.>', false],
    ['orders.created', 'orders.created', true],
    ['orders.created', 'orders.*', false],
    ['>', 'anything.at.all', true],
    ['a.*.c', 'a.b.c', true],
    ['a.b.c', 'a.*.c', false],
  ])('%s covers %s: %p', (outer, inner, expected) => {
    expect(subjectCovers(outer, inner)).toBe(expected);
  });
});
