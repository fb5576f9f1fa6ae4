import {
  AckPolicy,
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import type { LoggerService } from '@nestjs/common';
import type { DurableSpec } from '../interfaces/handler-metadata.interface.js';

/** Unacknowledged events one consumer may hold at once; bounds the handlers running in parallel. */
const MAX_ACK_PENDING = 256;

/**
 * One durable pull consumer of the shared stream. Instances of a service share it, so each
 * event reaches one of them. `process` decides ack, nak or dead-letter and enforces the
 * delivery limit; the server's own max_deliver stays unlimited so no event expires silently.
 */
export class DurableConsumer {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: string,
    readonly consumerName: string,
    private readonly filterSubject: string,
    private readonly spec: DurableSpec,
    private readonly logger: LoggerService,
  ) {}

  /** Creates or updates the consumer, then starts handing its messages to `process`. */
  async start(jsm: JetStreamManager, process: (msg: JsMsg) => void): Promise<void> {
    const config = {
      durable_name: this.consumerName,
      filter_subject: this.filterSubject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: this.spec.ackWaitMs * 1_000_000,
      max_deliver: -1,
      max_ack_pending: MAX_ACK_PENDING,
    };
    // add is idempotent for an identical config; a changed one (new filter, new ack wait) is an update.
    await jsm.consumers.add(this.stream, config).catch(async () => {
      const { durable_name: _, deliver_policy: __, ...updatable } = config;
      await jsm.consumers.update(this.stream, this.consumerName, updatable);
    });
    const consumer = await this.js.consumers.get(this.stream, this.consumerName);
    const messages = await consumer.consume({ max_messages: 64 });
    this.messages = messages;
    this.loop = this.pump(messages, process);
  }

  /** Stops pulling; events held but not yet handled are redelivered after their ack wait. */
  async stop(): Promise<void> {
    const messages = this.messages;
    this.messages = undefined;
    if (messages === undefined) return;
    await messages.close().catch(() => undefined);
    await this.loop;
  }

  // Each message is handed over without waiting, so slow handlers do not hold the others back.
  private async pump(messages: ConsumerMessages, process: (msg: JsMsg) => void): Promise<void> {
    try {
      for await (const msg of messages) process(msg);
    } catch (error) {
      this.logger.error(`durable consumer ${this.consumerName} stopped: ${(error as Error).message}`);
    }
  }
}
