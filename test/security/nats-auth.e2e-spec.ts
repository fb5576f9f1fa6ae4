import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, Rpc, TransportError } from '@cliffracer/nats-transport';
import { CapturingLogger, createTestApp, NatsServerProcess, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { createUser } from '@nats-io/nkeys';
import { makeTestOperator } from './test-jwt.js';

@Controller()
class LedgerController {
  @Rpc()
  echo(@Payload() payload: unknown) {
    return { echoed: payload };
  }
}

const TOKEN = 's3cret-token-0123456789';
const PASSWORD = 'pa55word-0123456789';

/** The error a connection attempt ends with (the client's TransportError). */
async function connectFailure(client: NatsClient): Promise<Error & { cause: Error }> {
  return client.connect().then(
    () => {
      throw new Error('connected');
    },
    (error: unknown) => error as Error & { cause: Error },
  );
}

describe('NATS authentication', () => {
  const closers: Array<() => Promise<unknown>> = [];

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  });

  describe('token', () => {
    let nats: NatsServerProcess;

    beforeAll(async () => {
      nats = await NatsServerProcess.start({ jetstream: false, config: `authorization { token: "${TOKEN}" }` });
      closers.push(() => nats.stop());
    });

    it('lets a service and a client with the token talk', async () => {
      const service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, auth: { token: TOKEN } }, controllers: [LedgerController], logger: false });
      closers.push(() => service.close());
      const client = new NatsClient({ service: 'caller', servers: nats.url, auth: { token: TOKEN } });
      closers.push(() => client.close());

      await expect(client.call('ledger', 'echo', 1)).resolves.toEqual({ echoed: 1 });
    });

    it('refuses a wrong token with a TransportError naming the method, not the token', async () => {
      const client = new NatsClient({ service: 'caller', servers: nats.url, auth: { token: 'wrong-token-value' } });
      closers.push(() => client.close());

      const failure = await connectFailure(client);
      expect(failure).toBeInstanceOf(TransportError);
      expect(failure.cause).toBeInstanceOf(TransportError);
      expect(failure.cause.message).toBe(`NATS at ${nats.url} refused the connection (token credentials): Authorization Violation`);
      expect(`${failure.message} ${failure.cause.message}`).not.toContain('wrong-token-value');
    });

    it('fails a service with a wrong token at start at once instead of waiting for NATS', async () => {
      const startedAt = Date.now();
      const starting = createTestApp({
        nats: { service: 'ledger2', servers: nats.url, auth: { token: 'wrong-token-value' }, connectRetry: { maxWaitMs: 20_000 } },
        controllers: [LedgerController],
        logger: false,
      });

      await expect(starting).rejects.toThrow(`NATS at ${nats.url} refused the connection (token credentials): Authorization Violation`);
      expect(Date.now() - startedAt).toBeLessThan(5000);
    });
  });

  describe('user/password and NKey users with subject permissions', () => {
    let nats: NatsServerProcess;
    const ledgerKey = createUser();
    const ledgerSeed = new TextDecoder().decode(ledgerKey.getSeed());
    const logger = new CapturingLogger();

    beforeAll(async () => {
      // The ledger's NKey user may publish and subscribe only on its own subjects and inboxes.
      const own = '["ledger.>", "_INBOX.>"]';
      nats = await NatsServerProcess.start({
        jetstream: false,
        config: `authorization {
  users = [
    { user: "shop", password: "${PASSWORD}" }
    { nkey: "${ledgerKey.getPublicKey()}", permissions: { publish: { allow: ${own} }, subscribe: { allow: ${own} } } }
  ]
}`,
      });
      closers.push(() => nats.stop());
    });

    // The service's logger (Nest's static one) is the capturing logger: clients log through it too.
    it('lets a client with the right user and password call', async () => {
      const service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, auth: { nkeySeed: ledgerSeed } }, controllers: [LedgerController], logger });
      closers.push(() => service.close());
      const client = new NatsClient({ service: 'caller', servers: nats.url, auth: { user: 'shop', password: PASSWORD } });
      closers.push(() => client.close());

      await expect(client.call('ledger', 'echo', 'pw')).resolves.toEqual({ echoed: 'pw' });
    });

    it('refuses a wrong password with a TransportError naming the method, not the password', async () => {
      const client = new NatsClient({ service: 'caller', servers: nats.url, auth: { user: 'shop', password: 'not-the-password' } });
      closers.push(() => client.close());

      const failure = await connectFailure(client);
      expect(failure.cause.message).toBe(`NATS at ${nats.url} refused the connection (user/password credentials): Authorization Violation`);
      expect(`${failure.message} ${failure.cause.message}`).not.toContain('not-the-password');
    });

    it('lets an NKey user call its own subjects', async () => {
      const client = new NatsClient({ service: 'ledger', servers: nats.url, auth: { nkeySeed: ledgerSeed } });
      closers.push(() => client.close());

      await expect(client.call('ledger', 'echo', 'nkey')).resolves.toEqual({ echoed: 'nkey' });
    });

    it('fails a call to a subject the NKey user may not publish to with a TransportError, before its timeout', async () => {
      const client = new NatsClient({ service: 'ledger', servers: nats.url, auth: { nkeySeed: ledgerSeed }, requestTimeoutMs: 10_000 });
      closers.push(() => client.close());
      const startedAt = Date.now();

      const call = client.call('payments', 'charge', { amount: 1 });

      await expect(call).rejects.toThrow(TransportError);
      await expect(call).rejects.toThrow("NATS denied publishing to payments.charge: the connection's user has no publish permission for it");
      expect(Date.now() - startedAt).toBeLessThan(5000);
    });

    it('logs one line naming the subject when an event is published where the NKey user may not', async () => {
      const client = new NatsClient({ service: 'ledger', servers: nats.url, auth: { nkeySeed: ledgerSeed } });
      closers.push(() => client.close());
      const before = logger.lines.length;

      await client.emit('payments.events.charged', { amount: 1 });

      const expected = "NATS denied publishing to payments.events.charged: the connection's user has no publish permission for it";
      await waitUntil(() => logger.lines.slice(before).some((line) => line.includes(expected)), 5000);
      expect(logger.lines.slice(before).filter((line) => line.includes('payments.events.charged'))).toHaveLength(1);
    });

    it('logs one line naming the subject when a service subscribes where its NKey user may not', async () => {
      const before = logger.lines.length;
      // The ledger's user may not subscribe to payments' subjects.
      const service = await createTestApp({ nats: { service: 'payments', servers: nats.url, auth: { nkeySeed: ledgerSeed } }, controllers: [LedgerController], logger });
      closers.push(() => service.close());

      await waitUntil(() => logger.lines.slice(before).some((line) => line.includes("NATS denied subscribing to payments.")), 5000);
      expect(logger.lines.slice(before).filter((line) => line.includes('NATS denied subscribing to payments.echo'))).toHaveLength(1);
    });

    it('refuses an unknown NKey with a TransportError naming the method, not the seed', async () => {
      const stranger = new TextDecoder().decode(createUser().getSeed());
      const client = new NatsClient({ service: 'ledger', servers: nats.url, auth: { nkeySeed: stranger } });
      closers.push(() => client.close());

      const failure = await connectFailure(client);
      expect(failure.cause.message).toBe(`NATS at ${nats.url} refused the connection (nkey credentials): Authorization Violation`);
      expect(`${failure.message} ${failure.cause.message}`).not.toContain(stranger);
    });
  });

  describe('creds file (user JWT and seed)', () => {
    let nats: NatsServerProcess;
    let dir: string;
    const operator = makeTestOperator();

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cliffracer-creds-'));
      nats = await NatsServerProcess.start({ jetstream: false, config: operator.config });
      closers.push(() => nats.stop(), () => rm(dir, { recursive: true, force: true }));
    });

    it('lets a service and a client with creds files of the account talk', async () => {
      await writeFile(join(dir, 'ledger.creds'), operator.userCreds('ledger'), { mode: 0o600 });
      await writeFile(join(dir, 'caller.creds'), operator.userCreds('caller'), { mode: 0o600 });
      const service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, auth: { credsFile: join(dir, 'ledger.creds') } }, controllers: [LedgerController], logger: false });
      closers.push(() => service.close());
      const client = new NatsClient({ service: 'caller', servers: nats.url, auth: { credsFile: join(dir, 'caller.creds') } });
      closers.push(() => client.close());

      await expect(client.call('ledger', 'echo', 'jwt')).resolves.toEqual({ echoed: 'jwt' });
    });

    it('refuses creds of an account the server does not trust, naming the method only', async () => {
      const creds = operator.strangerCreds();
      const client = new NatsClient({ service: 'caller', servers: nats.url, auth: { creds } });
      closers.push(() => client.close());

      const failure = await connectFailure(client);
      expect(failure.cause.message).toBe(`NATS at ${nats.url} refused the connection (creds credentials): Authorization Violation`);
      expect(`${failure.message} ${failure.cause.message}`).not.toMatch(/SU[A-Z0-9]{20,}|eyJ/);
    });
  });
});
