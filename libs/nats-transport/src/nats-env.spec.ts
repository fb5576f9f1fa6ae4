import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { natsConnectionFromEnv } from './nats-env.js';

describe('natsConnectionFromEnv', () => {
  it('gives nothing when no NATS credential or TLS variable is set', () => {
    expect(natsConnectionFromEnv({ NATS_URL: 'nats://x:4222', NATS_TOKEN: '' })).toEqual({});
  });

  it('reads each credential variable into its auth option', () => {
    expect(natsConnectionFromEnv({ NATS_CREDS: '/run/nats/user.creds' })).toEqual({ auth: { credsFile: '/run/nats/user.creds' } });
    expect(natsConnectionFromEnv({ NATS_NKEY_SEED: 'SUSEED' })).toEqual({ auth: { nkeySeed: 'SUSEED' } });
    expect(natsConnectionFromEnv({ NATS_TOKEN: 'tok' })).toEqual({ auth: { token: 'tok' } });
    expect(natsConnectionFromEnv({ NATS_USER: 'shop', NATS_PASSWORD: 'pw' })).toEqual({ auth: { user: 'shop', password: 'pw' } });
  });

  it('reads TLS variables as file paths, or as PEM text when they hold it', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect(natsConnectionFromEnv({ NATS_TLS_CA: '/tls/ca.crt', NATS_TLS_CERT: pem, NATS_TLS_KEY: '/tls/tls.key' })).toEqual({
      tls: { caFile: '/tls/ca.crt', cert: pem, keyFile: '/tls/tls.key' },
    });
  });

  it('refuses two credentials, naming the variables but not their values', () => {
    const run = () => natsConnectionFromEnv({ NATS_TOKEN: 'secret-token', NATS_USER: 'shop', NATS_PASSWORD: 'secret-pw' });
    expect(run).toThrow(InvalidOptionsError);
    expect(run).toThrow('invalid NatsTransport options: set one NATS credential, got NATS_TOKEN and NATS_USER/NATS_PASSWORD');
  });

  it('refuses a user without a password', () => {
    expect(() => natsConnectionFromEnv({ NATS_USER: 'shop' })).toThrow('NATS_USER and NATS_PASSWORD must be set together');
  });
});
