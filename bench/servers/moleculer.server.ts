// Moleculer 0.14 over its NATS transporter: the same echo action and event handler, each
// validating the bench payload with Moleculer's built-in validator (fastest-validator).
import moleculer from 'moleculer';
import { connect } from '@nats-io/transport-node';
import { benchSubjects } from '../bench.config.js';
import { MOLECULER_PAYLOAD_SCHEMA, moleculerBrokerOptions } from '../moleculer.options.js';
import { EventCounter, reportReady } from './server-process.js';

const prefix = process.env.BENCH_PREFIX!;
const subjects = benchSubjects(prefix);
const announcer = await connect({ servers: process.env.NATS_URL });
const counter = new EventCounter(Number(process.env.BENCH_EVENTS), (n) => announcer.publish(subjects.done, String(n)));

const broker = new moleculer.ServiceBroker(moleculerBrokerOptions(`bench-server-${process.pid}`));
broker.createService({
  name: 'bench',
  actions: {
    echo: { params: MOLECULER_PAYLOAD_SCHEMA, handler: (ctx: moleculer.Context) => ctx.params },
  },
  events: {
    'bench.evt': { params: MOLECULER_PAYLOAD_SCHEMA, handler: () => counter.add() },
  },
});
await broker.start();
reportReady(announcer, () => counter.count, () => Promise.all([broker.stop(), announcer.close()]));
