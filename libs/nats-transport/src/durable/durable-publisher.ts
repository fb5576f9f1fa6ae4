import { jetstream, type JetStreamClient, jetstreamManager, type PubAck } from '@nats-io/jetstream';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransportError } from '../errors/transport.error.js';
import type { NormalizedNatsTransportOptions } from '../interfaces/nats-transport-options.interface.js';
import { MESSAGES } from '../nats-transport.messages.js';
import { durableStreamSettings, ensureDurableStream } from './durable-stream.js';

/** Longest wait for one publish acknowledgement before the attempt is repeated. */
const ATTEMPT_TIMEOUT_MS = 2000;
/** Waits between attempts: a cluster electing a stream leader answers again within seconds. */
const RETRY_DELAYS_MS = [50, 100, 250, 500, 1000];
/** A connection in these states will never deliver: the publish fails at once. */
const FINAL_ERRORS = new Set(['ClosedConnectionError', 'DrainingConnectionError']);

/**
 * Publishes events into the shared durable stream and resolves only once JetStream has
 * stored them. The stream is made to hold each subject on its first use, so an event
 * published before any consumer ever started is kept. Every attempt of one event carries the
 * same message ID, so a retry after a lost acknowledgement is stored once (within the
 * stream's duplicate window).
 */
export class DurablePublisher {
  private readonly ready = new Map<string, Promise<void>>();
  private js?: { nc: NatsConnection; client: JetStreamClient };

  constructor(private readonly options: NormalizedNatsTransportOptions) {}

  /** Stores `data` on `subject` (already prefixed), retrying until `timeoutMs` has passed. */
  async publish(nc: NatsConnection, subject: string, data: Uint8Array | string, headers: MsgHdrs, timeoutMs: number): Promise<PubAck> {
    const deadline = Date.now() + timeoutMs;
    const msgID = randomUUID();
    let lastError: unknown;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.streamHolds(nc, subject);
        const timeout = Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now()));
        return await this.client(nc).publish(subject, data, { msgID, headers, timeout });
      } catch (error) {
        lastError = error;
        if (FINAL_ERRORS.has((error as Error)?.name) || nc.isClosed()) break;
        // The stream may have been removed or lost its leader: check it again next time.
        this.ready.delete(subject);
      }
      const wait = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
      if (Date.now() + wait >= deadline) break;
      await sleep(wait);
    }
    const reason = (lastError as Error)?.message ?? String(lastError);
    throw new TransportError(MESSAGES.durablePublishFailed(subject, timeoutMs, reason), { cause: lastError });
  }

  private client(nc: NatsConnection): JetStreamClient {
    if (this.js?.nc !== nc) this.js = { nc, client: jetstream(nc) };
    return this.js.client;
  }

  private streamHolds(nc: NatsConnection, subject: string): Promise<void> {
    let ready = this.ready.get(subject);
    if (ready === undefined) {
      ready = jetstreamManager(nc).then((jsm) => ensureDurableStream(jsm, durableStreamSettings(this.options), [subject]));
      this.ready.set(subject, ready);
    }
    return ready;
  }
}
