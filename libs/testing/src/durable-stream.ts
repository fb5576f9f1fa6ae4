import { DEFAULT_NATS_TRANSPORT_OPTIONS, durableStreamName } from '@cliffracer/nats-transport';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * Deletes the durable-event stream of a subject prefix (and with it its consumers), so a
 * test run leaves nothing behind on a shared NATS server. Missing streams are fine.
 */
export async function removeDurableStream(
  servers: string | string[],
  subjectPrefix: string,
  stream: string = DEFAULT_NATS_TRANSPORT_OPTIONS.durableStream,
): Promise<void> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    const prefix = subjectPrefix === '' || subjectPrefix.endsWith('.') ? subjectPrefix : `${subjectPrefix}.`;
    await jsm.streams.delete(durableStreamName(prefix, stream)).catch(() => false);
  } finally {
    await nc.close();
  }
}
