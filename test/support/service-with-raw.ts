import type { NatsTransportModuleOptions } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, removeDurableStream, type TestApp, type TestAppOptions, uniquePrefix } from '@cliffracer/testing';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** A test service on the shared NATS under a prefix of its own, with a plain connection beside it. */
export interface ServiceWithRaw {
  nats: NatsEndpoint;
  service: TestApp;
  /** A nats.js connection of the test's own, to publish what no Cliffracer client would. */
  raw: NatsConnection;
  prefix: string;
  /** Closes the connection and the service, removes the prefix's durable stream if asked, lets go of NATS. */
  close(): Promise<void>;
}

/** What the service is made of; `servers` and `subjectPrefix` are the fixture's. */
export interface ServiceWithRawOptions extends Omit<TestAppOptions, 'nats'> {
  nats: Omit<NatsTransportModuleOptions, 'servers' | 'subjectPrefix'>;
  /** Remove the prefix's durable stream on close (the service has durable handlers). @default false */
  durable?: boolean;
}

/** Starts a service as `createTestApp` does, and a plain nats.js connection for hostile traffic. */
export async function startServiceWithRaw(options: ServiceWithRawOptions): Promise<ServiceWithRaw> {
  const { nats: transport, durable = false, ...app } = options;
  const nats = await ensureNats();
  const prefix = uniquePrefix();
  const service = await createTestApp({ ...app, nats: { ...transport, servers: nats.url, subjectPrefix: prefix } });
  const raw = await connect({ servers: nats.url });
  return {
    nats,
    service,
    raw,
    prefix,
    async close() {
      await raw.close();
      await service.close();
      if (durable) await removeDurableStream(nats.url, prefix);
      await nats.release();
    },
  };
}
