import type { Ledger } from '@cliffracer/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a scenario's requests are sent. */
export interface LoadOptions {
  /** Requests in all. */
  count: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Pause of each sender after each request, so the load lasts through the fault. @default 0 */
  pauseMs?: number;
  /** Request ids are `<idPrefix>-<n>`. @default the ledger's scenario */
  idPrefix?: string;
}

/**
 * Sends `count` requests (ids `<idPrefix>-<n>`) through `call`, `concurrency` at a time,
 * each recorded in the ledger; resolves once every one has settled.
 */
export async function drive(ledger: Ledger, load: LoadOptions, call: (id: string, n: number) => PromiseLike<unknown>): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < load.count) {
      const n = next++;
      const id = `${load.idPrefix ?? ledger.scenario}-${n}`;
      await ledger.track(id, () => call(id, n));
      if (load.pauseMs) await sleep(load.pauseMs);
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, sender));
}

/** The backlog of a durable consumer, read from JetStream. */
export async function consumerBacklog(servers: string, stream: string, consumer: string): Promise<{ numPending: number; numAckPending: number }> {
  const nc = await connect({ servers });
  try {
    const info = await (await jetstreamManager(nc)).consumers.info(stream, consumer);
    return { numPending: info.num_pending, numAckPending: info.num_ack_pending };
  } finally {
    await nc.close();
  }
}

/** Messages a stream holds now. */
export async function streamMessages(servers: string, stream: string): Promise<number> {
  const nc = await connect({ servers });
  try {
    return (await (await jetstreamManager(nc)).streams.info(stream)).state.messages;
  } finally {
    await nc.close();
  }
}
