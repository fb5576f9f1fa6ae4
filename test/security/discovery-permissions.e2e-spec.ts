import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsClient, Rpc } from '@cliffracer/nats-transport';
import { CapturingLogger, createTestApp, NatsServerProcess, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';

@Controller()
class LedgerController {
  @Rpc()
  echo(@Payload() payload: unknown) {
    return { echoed: payload };
  }
}

const PASSWORD = 'pa55word-0123456789';

describe('NATS service discovery under subject permissions', () => {
  let nats: NatsServerProcess;
  let service: TestApp | undefined;
  let client: NatsClient | undefined;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    // The ledger's user may use its own subjects and inboxes, not the $SRV ones.
    const own = '["ledger.>", "_INBOX.>"]';
    nats = await NatsServerProcess.start({
      jetstream: false,
      config: `authorization {
  users = [
    { user: "ledger", password: "${PASSWORD}", permissions: { publish: { allow: ${own} }, subscribe: { allow: ${own} } } }
    { user: "ops", password: "${PASSWORD}" }
  ]
}`,
    });
  });

  afterAll(async () => {
    await client?.close();
    await service?.close();
    await nats?.stop();
  });

  it('runs the service without discovery when its user may not subscribe to $SRV, saying so in one line of its own', async () => {
    service = await createTestApp({ nats: { service: 'ledger', servers: nats.url, auth: { user: 'ledger', password: PASSWORD } }, controllers: [LedgerController], logger });
    client = new NatsClient({ service: 'ops', servers: nats.url, auth: { user: 'ops', password: PASSWORD } });
    await waitUntil(() => logger.lines.some((line) => line.includes('service discovery is off')), 5000);
    await expect(client.call('ledger', 'echo', 1)).resolves.toEqual({ echoed: 1 });
    await sleep(200);
    // The refusal of the first $SRV subscription as the connection reports it, and what it means,
    // in either order (they come on two paths); no other $SRV subscription is tried.
    const lines = logger.lines.filter((line) => line.includes('$SRV'));
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('service discovery is off: Permissions Violation for Subscription to "$SRV.PING"; allow its NATS user to subscribe to $SRV.> or set discovery: false'),
        expect.stringContaining("NATS denied subscribing to $SRV.PING: the connection's user has no subscribe permission for it"),
      ]),
    );
  });
});
