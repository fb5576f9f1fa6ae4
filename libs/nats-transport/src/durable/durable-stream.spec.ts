import { describe, expect, it } from '@jest/globals';
import { durableStreamName, mergeSubjects } from './durable-stream.js';

describe('mergeSubjects', () => {
  it('adds a subject no other covers', () => {
    expect(mergeSubjects(['orders.paid'], ['orders.shipped'])).toEqual(['orders.paid', 'orders.shipped']);
  });

  it('skips a subject an existing wildcard covers', () => {
    expect(mergeSubjects(['orders.>'], ['orders.paid'])).toEqual(['orders.>']);
  });

  it('replaces the subjects a new wildcard covers', () => {
    expect(mergeSubjects(['orders.paid', 'orders.a.b', 'users.x'], ['orders.>'])).toEqual(['users.x', 'orders.>']);
  });

  it('keeps duplicates out', () => {
    expect(mergeSubjects([], ['a.b', 'a.b'])).toEqual(['a.b']);
  });
});

describe('durableStreamName', () => {
  it('turns the prefix dots into underscores', () => {
    expect(durableStreamName('t1.env.', 'CLIFFRACER_EVENTS')).toBe('t1_env_CLIFFRACER_EVENTS');
  });

  it('is the bare name without a prefix', () => {
    expect(durableStreamName('', 'EVENTS')).toBe('EVENTS');
  });
});
