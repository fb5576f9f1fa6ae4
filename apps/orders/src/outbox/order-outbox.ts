import { CorrelationContext } from '@cliffracer/correlation';
import { NatsClient } from '@cliffracer/nats-transport';
import { InjectSecureRepository, type SecureRepository, type SecureTransaction } from '@cliffracer/secure-repository';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ORDERS_SETTINGS, type OrdersSettings } from '../orders.settings.js';
import { OutboxEvent } from './outbox-event.entity.js';

/** Events one relay run sends; the next run takes the rest. */
const RELAY_BATCH = 200;

/**
 * The orders service's outbox. An event is recorded in the transaction that makes the change
 * it announces, so neither is stored without the other; it is then published as a durable
 * event under its own message ID and deleted. One that could not be published (NATS down,
 * the stream electing a leader) stays and goes out with the next relay run: no change is
 * left unannounced, and an event published again (by the relay and the request at once, or
 * after a crash before its row was deleted) is stored once within the stream's duplicate window.
 */
@Injectable()
export class OrderOutbox {
  private readonly logger = new Logger(OrderOutbox.name);

  constructor(
    @InjectSecureRepository(OutboxEvent) private readonly events: SecureRepository<OutboxEvent>,
    private readonly client: NatsClient,
    @Inject(ORDERS_SETTINGS) private readonly settings: OrdersSettings,
  ) {}

  /** Keeps `event` for `subject` inside `tx`: it exists only if the transaction commits. */
  async record(tx: SecureTransaction, orderId: string, subject: string, event: object): Promise<void> {
    await tx.repository(OutboxEvent).create({
      messageId: randomUUID(),
      orderId,
      subject,
      payload: event,
      correlationId: CorrelationContext.currentOrNewId(),
      createdAt: new Date(),
    });
  }

  /** Publishes the order's waiting events, oldest first; resolves whether all went out. */
  async sendFor(orderId: string): Promise<boolean> {
    const waiting = await this.events.findMany({ where: { orderId }, orderBy: { seq: 'ASC' } });
    return (await this.sendInOrder(waiting)) === waiting.length;
  }

  /** Publishes every waiting event, oldest first (up to a batch); resolves how many went out. */
  async relay(): Promise<number> {
    const waiting = await this.events.findMany({ orderBy: { seq: 'ASC' }, limit: RELAY_BATCH });
    const sent = await this.sendInOrder(waiting);
    if (sent > 0) this.logger.log(`relayed ${sent} waiting event(s)`);
    return sent;
  }

  // Stops at the first event that cannot be published, so that later ones never overtake it.
  private async sendInOrder(waiting: OutboxEvent[]): Promise<number> {
    for (let i = 0; i < waiting.length; i += 1) {
      try {
        await this.send(waiting[i]!);
      } catch (error) {
        this.logger.warn(`${waiting.length - i} event(s) wait in the outbox: ${(error as Error).message}`);
        return i;
      }
    }
    return waiting.length;
  }

  // Published in the correlation of the request that made the change, whoever sends it.
  private async send(row: OutboxEvent): Promise<void> {
    await CorrelationContext.run(row.correlationId, () =>
      this.client.emit(row.subject, row.payload, { durable: true, timeoutMs: this.settings.eventTimeoutMs, messageId: row.messageId }),
    );
    await this.events.delete(row.seq);
  }
}
