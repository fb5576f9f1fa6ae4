import type { AuthUser } from '@cliffracer/auth';
import { CorrelationContext } from '@cliffracer/correlation';
import { NatsClient } from '@cliffracer/nats-transport';
import { InjectSecureRepository, type SecureRepository } from '@cliffracer/secure-repository';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { OrderNoticeDto } from './dto/order-notice.dto.js';
import { type NoticeKind, noticeText } from './notice-text.js';
import { Notification } from './notification.entity.js';

/** Subject of the live feed the gateway pushes to each customer's WebSocket. */
export const NOTIFICATION_SENT = 'notifications.events.sent';

/**
 * Keeps the customers' notifications and pushes each one on the live feed. An event delivered
 * twice is stored once (one per order and kind) and pushed again, as a push may have been lost.
 */
@Injectable()
export class NoticeBoard {
  private readonly logger = new Logger(NoticeBoard.name);

  constructor(
    @InjectSecureRepository(Notification) private readonly notifications: SecureRepository<Notification>,
    private readonly client: NatsClient,
  ) {}

  async notify(kind: NoticeKind, event: OrderNoticeDto): Promise<Notification> {
    const notice = (await this.stored(kind, event.orderId)) ?? (await this.store(kind, event));
    this.logger.log(`notified ${notice.customer} of ${kind} for order ${notice.orderId}`);
    await this.client.emit(NOTIFICATION_SENT, notice);
    return notice;
  }

  /** The customer's latest notifications, newest first. */
  list(customer: AuthUser): Promise<Notification[]> {
    return this.notifications.findMany({ where: { customer: customer.sub }, orderBy: { createdAt: 'DESC' }, limit: 50 });
  }

  private async store(kind: NoticeKind, event: OrderNoticeDto): Promise<Notification> {
    const notice = {
      id: randomUUID(),
      customer: event.customer,
      orderId: event.orderId,
      kind,
      message: noticeText(kind, event),
      correlationId: CorrelationContext.currentOrNewId(),
      createdAt: new Date(),
    };
    try {
      return await this.notifications.create(notice);
    } catch (error) {
      // Another instance stored the same event a moment ago (it was redelivered to both).
      const existing = await this.stored(kind, event.orderId);
      if (existing === null) throw error;
      return existing;
    }
  }

  private stored(kind: NoticeKind, orderId: string): Promise<Notification | null> {
    return this.notifications.findOne({ orderId, kind });
  }
}
