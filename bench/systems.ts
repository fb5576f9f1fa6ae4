import { NatsClient } from '@cliffracer/nats-transport';
import moleculer from 'moleculer';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { connect } from '@nats-io/transport-node';
import { lastValueFrom } from 'rxjs';
import { BENCH, benchSubjects } from './bench.config.js';
import { moleculerBrokerOptions } from './moleculer.options.js';

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

/**
 * Plain @nats-io/transport-node request/reply and a subscription. With `noAsyncTraces` (no
 * stack captured per request, as the Cliffracer client runs) it is the honest ceiling, the
 * 100% of every table; with nats.js's default options it is kept as a labelled row.
 */
function rawNats(name: string, noAsyncTraces: boolean): BenchSystem {
  return {
    name,
    server: 'servers/raw.server.js',
    async client(url, prefix) {
      const subjects = benchSubjects(prefix);
      const nc = await connect({ servers: url, noAsyncTraces });
      return {
        request: async () => JSON.parse(new TextDecoder().decode((await nc.request(subjects.echo, body, { timeout: 5000 })).data)),
        emit: () => nc.publish(subjects.event, body),
        close: () => nc.close(),
      };
    },
  };
}

/** The 100% row: the fastest that plain nats.js does. */
export const CEILING = 'raw nats.js (noAsyncTraces)';
const RAW = rawNats(CEILING, true);
const RAW_DEFAULT = rawNats('raw nats.js, default options', false);

/** Moleculer 0.14 on its NATS transporter, validating the payload with its built-in validator. */
const MOLECULER: BenchSystem = {
  name: 'Moleculer 0.14',
  server: 'servers/moleculer.server.js',
  async client() {
    const broker = new moleculer.ServiceBroker(moleculerBrokerOptions(`bench-client-${process.pid}`));
    await broker.start();
    await broker.waitForServices('bench', 10_000);
    return {
      request: () => broker.call('bench.echo', BENCH.payload),
      emit: () => void broker.emit('bench.evt', BENCH.payload),
      close: () => broker.stop(),
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

/** The same service with the debug logger timing every handler to disk, sampled above its default rate. */
export const CLIFFRACER_DEBUG: BenchSystem = { ...CLIFFRACER, name: 'Cliffracer + debug logger', env: { BENCH_DEBUG_LOGGER: 'true' } };

/** The same with sampling off (`timingsPerSecond: 0`): an entry written for every message. */
export const CLIFFRACER_DEBUG_EVERY: BenchSystem = {
  ...CLIFFRACER,
  name: 'Cliffracer + debug logger, every entry',
  env: { BENCH_DEBUG_LOGGER: 'true', BENCH_DEBUG_TIMINGS_PER_SECOND: '0' },
};

/** Every system of the main tables, the ceiling first. */
export const SYSTEMS: BenchSystem[] = [RAW, RAW_DEFAULT, MOLECULER, NEST, CLIFFRACER];

/** The frameworks Cliffracer is measured against. */
export const PEERS = [MOLECULER.name, NEST.name];

async function cliffracerClient(url: string, prefix: string): Promise<BenchClient> {
  const client = new NatsClient({ service: 'bench-caller', servers: url, subjectPrefix: prefix });
  await client.connect();
  return {
    request: () => client.call('bench', 'echo', BENCH.payload),
    emit: () => void client.emit('bench.evt', BENCH.payload),
    close: () => client.close(),
  };
}
