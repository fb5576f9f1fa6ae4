import { jetstream, type JetStreamClient, type JetStreamManager, jetstreamManager, type PubAck } from '@nats-io/jetstream';
import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { TransportError } from '../errors/transport.error.js';
import { isMaxPayloadError, payloadTooLarge } from '../wire/max-payload.js';
import type { NormalizedNatsTransportOptions } from '../interfaces/nats-transport-options.interface.js';
import { MESSAGES } from '../nats-transport.messages.js';
import { durableStreamSettings, ensureDurableStream } from './durable-stream.js';

/** Longest wait for one publish acknowledgement, or one stream check, before trying again. */
const ATTEMPT_TIMEOUT_MS = 2000;
/** Waits between attempts: a cluster electing a stream leader answers again within seconds. */
const RETRY_DELAYS_MS = [50, 100, 250, 500, 1000];
/** A connection in these states will never deliver: the publish fails at once. */
const FINAL_ERRORS = new Set(['ClosedConnectionError', 'DrainingConnectionError']);
/** What nats.js says when nothing stores the subject: no stream holds it, or its leader is gone. */
const NOTHING_STORES = 'JetStreamNotEnabled';

/**
 * Publishes events into the shared durable stream and resolves only once JetStream has
 * stored them. The stream is made to hold each subject on its first use, so an event
 * published before any consumer ever started is kept. Every attempt of one event carries the
 * same message ID, so a retry after a lost acknowledgement is stored once (within the
 * stream's duplicate window). Attempts go on, through reconnects and leader elections, until
 * the event's deadline.
 */
export class DurablePublisher {
  private readonly ready = new Set<string>();
  private clients?: { nc: NatsConnection; js: JetStreamClient; jsm: JetStreamManager };

  constructor(private readonly options: NormalizedNatsTransportOptions) {}

  /**
   * Stores `data` on `subject` (already prefixed) under message ID `msgID`, retrying until
   * `timeoutMs` has passed.
   */
  async publish(nc: NatsConnection, subject: string, data: Uint8Array | string, headers: MsgHdrs, timeoutMs: number, msgID: string = randomUUID()): Promise<PubAck> {
    const deadline = Date.now() + timeoutMs;
    const { js, jsm } = await this.clientsOf(nc);
    let lastError: unknown;
    for (let attempt = 0; ; attempt += 1) {
      const timeout = Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now()));
      try {
        if (!this.ready.has(subject)) {
          await ensureDurableStream(jsm, durableStreamSettings(this.options), [subject]);
          this.ready.add(subject);
        }
        return await js.publish(subject, data, { msgID, headers, timeout });
      } catch (error) {
        // Too large stays too large: no attempt can store it.
        if (isMaxPayloadError(error)) throw payloadTooLarge(nc, subject, data, headers);
        lastError = error;
        if (FINAL_ERRORS.has((error as Error)?.name) || nc.isClosed()) break;
        // The stream may be gone (removed, recreated without this subject): check it next time.
        if ((error as Error)?.name === NOTHING_STORES) this.ready.delete(subject);
      }
      const wait = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)]!;
      if (Date.now() + wait >= deadline) break;
      await sleep(wait);
    }
    const reason = (lastError as Error)?.message ?? String(lastError);
    throw new TransportError(MESSAGES.durablePublishFailed(subject, timeoutMs, reason), { cause: lastError });
  }

  // Made without the account check: that call needs the cluster's meta leader, which may be
  // the very thing being re-elected, and the publish itself says whether JetStream answers.
  private async clientsOf(nc: NatsConnection): Promise<{ js: JetStreamClient; jsm: JetStreamManager }> {
    if (this.clients?.nc !== nc) {
      const jsm = await jetstreamManager(nc, { checkAPI: false, timeout: ATTEMPT_TIMEOUT_MS });
      this.clients = { nc, js: jetstream(nc), jsm };
    }
    return this.clients;
  }
}
