import { describe, expect, it } from '@jest/globals';
import { EndpointStats } from './endpoint-stats.js';

const notFound = { name: 'NotFoundError', message: 'no order 42', code: 'NOT_FOUND' };

describe('EndpointStats', () => {
  it('reports nothing before the first request', () => {
    expect(new EndpointStats().figures()).toEqual({ num_requests: 0, num_errors: 0, processing_time: 0, average_processing_time: 0, last_error: '' });
  });

  it('adds each request time in whole nanoseconds and averages it', () => {
    const stats = new EndpointStats();
    stats.record(1.5, undefined);
    stats.record(0.25, notFound);
    expect(stats.figures()).toEqual({ num_requests: 2, num_errors: 1, processing_time: 1_750_000, average_processing_time: 875_000, last_error: 'NOT_FOUND: no order 42' });
  });

  it('counts a refused request as a request and an error, with no time', () => {
    const stats = new EndpointStats();
    stats.refused({ name: 'OverloadedError', message: 'request refused', code: 'OVERLOADED' });
    expect(stats.figures()).toMatchObject({ num_requests: 1, num_errors: 1, processing_time: 0, last_error: 'OVERLOADED: request refused' });
  });

  it('keeps the last error to 512 characters', () => {
    const stats = new EndpointStats();
    stats.refused({ name: 'ValidationError', message: 'x'.repeat(10_000), code: 'VALIDATION_ERROR' });
    expect(stats.figures().last_error).toHaveLength(512);
  });
});
