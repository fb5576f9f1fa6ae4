import { describe, expect, it } from '@jest/globals';
import { describeHealth } from './health.js';

describe('describeHealth', () => {
  it('says ok, with the instance that answered when the body names it', () => {
    expect(describeHealth({ ok: true, status: 200, body: { status: 'ok', instance: 'gateway-1' } })).toBe('ok (gateway-1)');
    expect(describeHealth({ ok: true, status: 200 })).toBe('ok');
  });

  it('names the readiness checks that are down', () => {
    const body = { status: 'error', instance: 'orders-0', error: { nats: { status: 'down', message: 'the NATS connection is reconnecting' }, database: { status: 'down' } } };
    expect(describeHealth({ ok: false, status: 503, body })).toBe('HTTP 503: nats, database');
  });

  it('gives the status alone when the body names no check, and why nothing answered', () => {
    expect(describeHealth({ ok: false, status: 404, body: { message: 'Cannot GET /health/ready' } })).toBe('HTTP 404');
    expect(describeHealth({ ok: false, error: 'timed out' })).toBe('timed out');
  });
});
