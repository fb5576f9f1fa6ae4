// Raw @nats-io/transport-node: echo replies and an event counter, the baseline.
import { connect } from '@nats-io/transport-node';
import { benchSubjects } from '../bench.config.js';
import { reportReady } from './server-process.js';

const subjects = benchSubjects(process.env.BENCH_PREFIX!);
const nc = await connect({ servers: process.env.NATS_URL, noAsyncTraces: true });
nc.subscribe(subjects.echo, { queue: 'bench', callback: (_e, msg) => {
    msg.respond(msg.data);
  },
});
let received = 0;
nc.subscribe(subjects.event, {
  callback: (_e, msg) => {
    JSON.parse(new TextDecoder().decode(msg.data));
    received += 1;
    if (received % Number(process.env.BENCH_EVENTS) === 0) nc.publish(subjects.done, String(received));
  },
});
await nc.flush();
reportReady(nc, () => received, () => nc.close());
