import { afterEach, describe, expect, it } from '@jest/globals';
import { connect } from '@nats-io/transport-node';
import { NatsServerProcess } from './nats-server.process.js';

describe('NatsServerProcess', () => {
  let server: NatsServerProcess | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  describe('restart', () => {
    it('starts the server again after a SIGKILL, and a client connects to it', async () => {
      server = await NatsServerProcess.start({ jetstream: false });
      await server.kill('SIGKILL');
      expect(server.running).toBe(false);

      await server.restart();

      expect(server.running).toBe(true);
      const nc = await connect({ servers: server.url, reconnect: false, timeout: 2000 });
      try {
        await expect(nc.flush()).resolves.toBeUndefined();
      } finally {
        await nc.close();
      }
    });
  });

  describe('maxPayload', () => {
    it('sets the max_payload the server announces to clients', async () => {
      server = await NatsServerProcess.start({ jetstream: false, maxPayload: 4 * 1024 * 1024 });
      const nc = await connect({ servers: server.url, reconnect: false, timeout: 2000 });
      try {
        expect(nc.info?.max_payload).toBe(4 * 1024 * 1024);
      } finally {
        await nc.close();
      }
    });
  });
});
