import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, Rpc, TransportError } from '@cliffracer/nats-transport';
import { createTestApp, NatsServerProcess, type TestApp } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { makeTestCerts, type TestCerts } from './test-certs.js';

@Controller()
class EchoController {
  @Rpc()
  echo(@Payload() payload: unknown) {
    return { echoed: payload };
  }
}

describe('NATS over TLS', () => {
  let certs: TestCerts;
  let nats: NatsServerProcess;
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    certs = await makeTestCerts();
    // The server requires TLS and a client certificate signed by the test CA.
    nats = await NatsServerProcess.start({
      jetstream: false,
      config: `tls {\n  cert_file: "${certs.serverCertFile}"\n  key_file: "${certs.serverKeyFile}"\n  ca_file: "${certs.caFile}"\n  verify: true\n  timeout: 2\n}`,
    });
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await nats?.stop();
    await certs?.remove();
  });

  describe('with the CA and a client certificate as files', () => {
    let service: TestApp;

    beforeAll(async () => {
      service = await createTestApp({
        nats: { service: 'tlsecho', servers: nats.url, tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } },
        controllers: [EchoController],
        logger: false,
      });
      closers.push(() => service.close());
    });

    it('answers an RPC from a client that connects over TLS', async () => {
      const client = new NatsClient({ service: 'caller', servers: nats.url, tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
      closers.push(() => client.close());

      await expect(client.call('tlsecho', 'echo', { n: 1 })).resolves.toEqual({ echoed: { n: 1 } });
      expect(client.unwrap<{ info?: { tls_required?: boolean } }>().info?.tls_required).toBe(true);
    });

    it('answers an RPC from a client given the CA, certificate and key as PEM strings', async () => {
      const tls = { ca: await certs.pem(certs.caFile), cert: await certs.pem(certs.clientCertFile), key: await certs.pem(certs.clientKeyFile) };
      const client = new NatsClient({ service: 'caller', servers: nats.url, tls });
      closers.push(() => client.close());

      await expect(client.call('tlsecho', 'echo', 'pem')).resolves.toEqual({ echoed: 'pem' });
    });
  });

  describe('without the CA that signed the server certificate', () => {
    it('fails a client connection with a TransportError saying the server certificate is not trusted', async () => {
      const client = new NatsClient({ service: 'caller', servers: nats.url, tls: { caFile: certs.otherCaFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
      closers.push(() => client.close());

      const failure = await client.connect().then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(TransportError);
      expect((failure as Error).message).toBe(`cannot connect to NATS at ${nats.url}`);
      expect((failure as Error).cause).toBeInstanceOf(TransportError);
      expect(((failure as Error).cause as Error).message).toBe(
        `TLS to NATS at ${nats.url} failed: the server certificate is not trusted with CA ${certs.otherCaFile} (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
      );
    });

    it('fails a service at start at once instead of waiting for NATS', async () => {
      const startedAt = Date.now();
      const starting = createTestApp({
        nats: { service: 'tlsecho2', servers: nats.url, connectRetry: { maxWaitMs: 20_000 }, tls: { certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } },
        controllers: [EchoController],
        logger: false,
      });

      await expect(starting).rejects.toThrow(/^TLS to NATS at .* failed: the server certificate is not trusted \(no tls CA given\)/);
      expect(Date.now() - startedAt).toBeLessThan(5000);
    });
  });

  describe('without a client certificate where the server verifies clients', () => {
    it('fails a client connection after its connect timeout with a TransportError saying a certificate may be missing', async () => {
      // nats.js's connect timeout (20 s by default) shortened: the server's refusal never reaches it.
      const client = new NatsClient({ service: 'caller', servers: nats.url, tls: { caFile: certs.caFile }, connection: { timeout: 1000 } });
      closers.push(() => client.close());

      const failure = await client.connect().then(() => undefined, (error: unknown) => error as Error);
      expect(failure).toBeInstanceOf(TransportError);
      expect((failure!.cause as Error).message).toBe(`TLS to NATS at ${nats.url} timed out: if the server verifies clients, give tls.certFile and tls.keyFile`);
    });
  });

  describe('boot checks', () => {
    it('names a missing CA file at boot', () => {
      expect(() => new NatsClient({ service: 'caller', servers: nats.url, tls: { caFile: `${certs.dir}/missing.pem` } })).toThrow(
        `invalid NatsTransport options: tls.caFile ${certs.dir}/missing.pem is not a readable file`,
      );
    });
  });
});
