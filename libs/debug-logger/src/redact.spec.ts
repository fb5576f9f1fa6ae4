import { describe, expect, it } from '@jest/globals';
import { redact } from './redact.js';

describe('redact', () => {
  it('replaces secret-named fields at any depth', () => {
    const input = { user: 'ann', password: 'p', nested: { accessToken: 't', list: [{ Authorization: 'Bearer x' }] } };
    expect(redact(input)).toEqual({ user: 'ann', password: '[REDACTED]', nested: { accessToken: '[REDACTED]', list: [{ Authorization: '[REDACTED]' }] } });
  });

  it('replaces NATS credentials: NKey seeds and creds file contents', () => {
    const input = { auth: { nkeySeed: 'SUAB', creds: '-----BEGIN NATS USER JWT-----' }, tls: { caFile: '/tls/ca.crt' } };
    expect(redact(input)).toEqual({ auth: { nkeySeed: '[REDACTED]', creds: '[REDACTED]' }, tls: { caFile: '/tls/ca.crt' } });
  });

  it('redacts extra names given by the options', () => {
    expect(redact({ ssn: '1', name: 'x' }, ['SSN'])).toEqual({ ssn: '[REDACTED]', name: 'x' });
  });

  it('keeps an error as name, message and code, without its stack', () => {
    expect(redact({ e: Object.assign(new TypeError('bad'), { code: 'X' }) })).toEqual({ e: { name: 'TypeError', message: 'bad', code: 'X' } });
  });

  it('cuts cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(redact(a)).toEqual({ name: 'a', self: '[…]' });
  });
});
