import { describe, expect, it, jest } from '@jest/globals';
import { EndpointStats } from './endpoint-stats.js';

const notFound = { name: 'NotFoundError', message: 'no order 42', code: 'NOT_FOUND' };

describe('EndpointStats', () => {
  it('reports nothing before the first request', () => {
    expect(new EndpointStats().figures()).toEqual({ num_requests: 0, num_errors: 0, processing_time: 0, average_processing_time: 0, last_error: '' });
  });

  it('adds each request time in whole nanoseconds and averages it', () => {
    const now = jest.spyOn(performance, 'now');
    const stats = new EndpointStats();
    now.mockReturnValueOnce(11.5);
    stats.record(10, undefined);
    now.mockReturnValueOnce(20.25);
    stats.record(20, notFound);
    now.mockRestore();
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
