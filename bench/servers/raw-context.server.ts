// The ceiling's echo with what carrying a correlation ID across awaits costs on its own: one
// AsyncLocalStorage.run per message, whose hooks then run for every promise nats.js makes.
import { connect } from '@nats-io/transport-node';
import { AsyncLocalStorage } from 'node:async_hooks';
import { benchSubjects } from '../bench.config.js';
import { reportReady } from './server-process.js';

const subjects = benchSubjects(process.env.BENCH_PREFIX!);
const context = new AsyncLocalStorage<{ correlationId: string }>();
const nc = await connect({ servers: process.env.NATS_URL, noAsyncTraces: true });
nc.subscribe(subjects.echo, {
  queue: 'bench',
  callback: (_e, msg) => {
    context.run({ correlationId: 'bench' }, () => msg.respond(msg.data));
  },
});
await nc.flush();
reportReady(nc, () => 0, () => nc.close());
