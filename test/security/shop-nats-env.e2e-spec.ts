import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, Rpc } from '@cliffracer/nats-transport';
import { shopServiceConfig } from '@cliffracer-sample/shop-common';
import { createTestApp, NatsServerProcess } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { parseAllDocuments } from 'yaml';
import { makeTestCerts, type TestCerts } from './test-certs.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

@Controller()
class StockController {
  @Rpc()
  level(@Payload() payload: { sku: string }) {
    return { sku: payload.sku, level: 3 };
  }
}

/** The TLS and authorization part of the Kubernetes NATS configuration, its files in `certs`. */
async function deployedSecurityConfig(certs: TestCerts): Promise<string> {
  const [configMap] = parseAllDocuments(await readFile(join(ROOT, 'deployment/k8s/nats.yaml'), 'utf8')).map((doc) => doc.toJS());
  const conf = configMap.data['nats.conf'] as string;
  const security = conf.slice(conf.indexOf('tls {'), conf.indexOf('jetstream {'));
  return security
    .replace('/etc/nats-tls/tls.crt', certs.serverCertFile)
    .replace('/etc/nats-tls/tls.key', certs.serverKeyFile)
    .replace('/etc/nats-tls/ca.crt', certs.caFile);
}

// The shop as deployed: NATS with the manifests' TLS and per-service users, each service
// configured only by its environment (NATS_USER, NATS_PASSWORD, NATS_TLS_CA, NATS_SUBJECT_PREFIX).
describe('the shop configured from the environment against the deployed NATS security', () => {
  let certs: TestCerts;
  let nats: NatsServerProcess;
  const closers: Array<() => Promise<unknown>> = [];
  const passwords = { INVENTORY_NATS_PASSWORD: 'inventory-pw-0123456789', ORDERS_NATS_PASSWORD: 'orders-pw-0123456789' };

  beforeAll(async () => {
    certs = await makeTestCerts();
    // nats-server reads $<SERVICE>_NATS_PASSWORD from its environment, as the StatefulSet gives it.
    const others = { GATEWAY_NATS_PASSWORD: 'g', PAYMENTS_NATS_PASSWORD: 'p', NOTIFICATIONS_NATS_PASSWORD: 'n' };
    nats = await NatsServerProcess.start({ jetstream: false, config: await deployedSecurityConfig(certs), env: { ...passwords, ...others } });
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await nats?.stop();
    await certs?.remove();
  });

  const envOf = (service: string, password: string) => ({
    NATS_URL: nats.url,
    NATS_SUBJECT_PREFIX: 'shop',
    NATS_USER: service,
    NATS_PASSWORD: password,
    NATS_TLS_CA: certs.caFile,
  });

  it('answers an RPC between two services that log in as themselves over TLS', async () => {
    const inventory = shopServiceConfig('inventory', { defaultPort: 0 }, envOf('inventory', passwords.INVENTORY_NATS_PASSWORD));
    const service = await createTestApp({ nats: inventory.nats, controllers: [StockController], logger: false });
    closers.push(() => service.close());
    const orders = new NatsClient(shopServiceConfig('orders', { defaultPort: 0 }, envOf('orders', passwords.ORDERS_NATS_PASSWORD)).nats);
    closers.push(() => orders.close());

    await expect(orders.call('inventory', 'level', { sku: 'a' })).resolves.toEqual({ sku: 'a', level: 3 });
  });

  it('refuses a service that gives another service\'s password', async () => {
    const orders = new NatsClient(shopServiceConfig('orders', { defaultPort: 0 }, envOf('orders', passwords.INVENTORY_NATS_PASSWORD)).nats);
    closers.push(() => orders.close());

    await expect(orders.connect()).rejects.toMatchObject({ cause: { message: `NATS at ${nats.url} refused the connection (user/password credentials): Authorization Violation` } });
  });

  it('refuses a service a subject outside the shop prefix', async () => {
    const config = shopServiceConfig('orders', { defaultPort: 0 }, { ...envOf('orders', passwords.ORDERS_NATS_PASSWORD), NATS_SUBJECT_PREFIX: 'other' });
    const orders = new NatsClient(config.nats);
    closers.push(() => orders.close());

    await expect(orders.call('inventory', 'level', { sku: 'a' })).rejects.toThrow("NATS denied publishing to other.inventory.level: the connection's user has no publish permission for it");
  });
});
