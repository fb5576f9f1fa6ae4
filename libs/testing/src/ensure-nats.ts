import { isListening } from './free-port.js';
import { NatsServerProcess } from './nats-server.process.js';

/** A NATS server to use, and how to let go of it. */
export interface NatsEndpoint {
  url: string;
  /** Stops the server if this call started it; otherwise does nothing. */
  release(): Promise<void>;
}

/**
 * The NATS server at `NATS_URL` (default `nats://127.0.0.1:4222`) when it answers;
 * otherwise a `nats-server` from PATH (with JetStream) started on a free port.
 */
export async function ensureNats(url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222'): Promise<NatsEndpoint> {
  const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
  if (await isListening(hostname, Number(port || 4222))) {
    return { url, release: async () => undefined };
  }
  const server = await NatsServerProcess.start({ jetstream: true });
  return { url: server.url, release: () => server.stop() };
}
