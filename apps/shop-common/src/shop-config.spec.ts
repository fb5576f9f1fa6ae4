import { describe, expect, it } from '@jest/globals';
import { InvalidOptionsError } from '@cliffracer/common';
import { shopServiceConfig } from './shop-config.js';

describe('shopServiceConfig', () => {
  it('runs on the local NATS and an embedded database by default, with no backdoor token', () => {
    expect(shopServiceConfig('orders', { defaultPort: 8201 }, {})).toEqual({
      nats: { service: 'orders', servers: ['nats://127.0.0.1:4222'], subjectPrefix: '', durableReplicas: 1 },
      database: { embeddedDir: './.pgdata/orders' },
      backdoor: { service: 'orders', token: undefined, port: 0 },
      debug: { service: 'orders', sessionId: undefined },
      instance: 'orders',
      http: { port: 8201, host: '127.0.0.1' },
    });
  });

  it('reads a cluster, a shared database in a schema of the service, and the instance from the environment', () => {
    const config = shopServiceConfig('orders', { defaultPort: 8201 }, {
      NATS_URL: 'nats://a:4222, nats://b:4222',
      NATS_DURABLE_REPLICAS: '3',
      DATABASE_URL: 'postgres://db/shop',
      PORT: '9000',
      HOST: '0.0.0.0',
      CLIFFRACER_INSTANCE: 'orders-2',
      BACKDOOR_TOKEN: 'a-long-backdoor-token',
      BACKDOOR_PORT: '9100',
    });
    expect(config.nats).toMatchObject({ servers: ['nats://a:4222', 'nats://b:4222'], durableReplicas: 3 });
    expect(config.database).toEqual({ url: 'postgres://db/shop', schema: 'orders' });
    expect(config).toMatchObject({ instance: 'orders-2', http: { port: 9000, host: '0.0.0.0' }, backdoor: { token: 'a-long-backdoor-token', port: 9100 } });
  });

  it('reads how long to wait for NATS at start and for in-flight handlers at shutdown', () => {
    const config = shopServiceConfig('orders', { defaultPort: 1 }, { NATS_CONNECT_MAX_WAIT_MS: '5000', NATS_SHUTDOWN_GRACE_MS: '2000' });
    expect(config.nats).toMatchObject({ connectRetry: { maxWaitMs: 5000 }, shutdownGraceMs: 2000 });
  });

  it('keeps nothing on disk with DATA_DIR=memory', () => {
    expect(shopServiceConfig('payments', { defaultPort: 1 }, { DATA_DIR: 'memory' }).database).toEqual({ embeddedDir: 'memory' });
  });

  it('requires JWT_SECRET where tokens are checked', () => {
    expect(() => shopServiceConfig('orders', { defaultPort: 1, auth: true }, {})).toThrow(InvalidOptionsError);
    expect(shopServiceConfig('orders', { defaultPort: 1, auth: true }, { JWT_SECRET: 's'.repeat(32) }).auth).toEqual({
      secret: 's'.repeat(32),
      issuer: 'cliffracer-shop',
      audience: 'cliffracer-shop',
    });
  });

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY lists', () => {
    expect(shopServiceConfig('gateway', { defaultPort: 1 }, {}).http).not.toHaveProperty('trustProxy');
    expect(shopServiceConfig('gateway', { defaultPort: 1 }, { TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,loopback,::1' }).http.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'loopback', '::1']);
  });

  it('refuses a TRUST_PROXY entry that is not an address, a range or a range name', () => {
    for (const bad of ['true', '*', '10.0.0.0/33', 'example.com', '1.2.3.4/8/8']) {
      expect(() => shopServiceConfig('gateway', { defaultPort: 1 }, { TRUST_PROXY: bad })).toThrow(`TRUST_PROXY must list proxy addresses, CIDR ranges or loopback/linklocal/uniquelocal, got ${JSON.stringify(bad)}`);
    }
  });

  it('refuses a port that is not a whole number', () => {
    expect(() => shopServiceConfig('orders', { defaultPort: 1 }, { PORT: 'eighty' })).toThrow('PORT must be a whole number, got "eighty"');
  });

  it('takes NATS credentials and TLS files from the environment', () => {
    const config = shopServiceConfig('orders', { defaultPort: 8201 }, {
      NATS_CREDS: '/etc/nats-creds/orders.creds',
      NATS_TLS_CA: '/etc/nats-tls/ca.crt',
    });
    expect(config.nats.auth).toEqual({ credsFile: '/etc/nats-creds/orders.creds' });
    expect(config.nats.tls).toEqual({ caFile: '/etc/nats-tls/ca.crt' });
  });

  it('refuses conflicting NATS credentials at boot', () => {
    expect(() => shopServiceConfig('orders', { defaultPort: 8201 }, { NATS_TOKEN: 't', NATS_NKEY_SEED: 'SU' })).toThrow(InvalidOptionsError);
  });
});
