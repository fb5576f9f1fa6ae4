import { NatsClient } from '@cliffracer/nats-transport';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { connect } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';
import { BENCH, benchSubjects } from './bench.config.js';

/** The caller side of one system under test. */
export interface BenchClient {
  request(): Promise<unknown>;
  emit(): void;
  close(): Promise<void>;
}

/** A system: the server script to run in its own process and how to call it. */
export interface BenchSystem {
  name: string;
  server: string;
  /** Extra environment of the server process. */
  env?: Record<string, string>;
  client(url: string, prefix: string): Promise<BenchClient>;
}

const body = JSON.stringify(BENCH.payload);

/** Plain @nats-io/transport-node request/reply and a subscription: the baseline. */
const RAW: BenchSystem = {
  name: 'raw nats.js',
  server: 'servers/raw.server.js',
  async client(url, prefix) {
    const subjects = benchSubjects(prefix);
    const nc = await connect({ servers: url });
    return {
      request: async () => JSON.parse(new TextDecoder().decode((await nc.request(subjects.echo, body, { timeout: 5000 })).data)),
      emit: () => nc.publish(subjects.event, body),
      close: () => nc.close(),
    };
  },
};

/** NestJS's own NATS transport: `Transport.NATS` and `ClientProxy.send`. */
const NEST: BenchSystem = {
  name: 'NestJS Transport.NATS',
  server: 'servers/nest-builtin.server.js',
  async client(url, prefix) {
    const subjects = benchSubjects(prefix);
    const client = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [url] } });
    await client.connect();
    return {
      request: () => lastValueFrom(client.send(subjects.echo, BENCH.payload)),
      emit: () => void client.emit(subjects.event, BENCH.payload),
      close: async () => client.close(),
    };
  },
};

/** This transport as a service: @Rpc / @Event, correlation, a validation pipe. */
export const CLIFFRACER: BenchSystem = { name: 'Cliffracer', server: 'servers/cliffracer.server.js', client: cliffracerClient };

/** The same service with the debug logger writing every handler to disk. */
export const CLIFFRACER_DEBUG: BenchSystem = { ...CLIFFRACER, name: 'Cliffracer + debug logger', env: { BENCH_DEBUG_LOGGER: 'true' } };

/** Every system of the main tables, raw NATS first as the baseline. */
export const SYSTEMS: BenchSystem[] = [RAW, NEST, CLIFFRACER];

async function cliffracerClient(url: string, prefix: string): Promise<BenchClient> {
  const client = new NatsClient({ service: 'bench-caller', servers: url, subjectPrefix: prefix });
  await client.connect();
  return {
    request: () => client.call('bench', 'echo', BENCH.payload),
    emit: () => void client.emit('bench.evt', BENCH.payload),
    close: () => client.close(),
  };
}
