import { type AuthUser, CurrentUser, Public, Roles } from '@cliffracer/auth';
import { Event, Rpc } from '@cliffracer/nats-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OrderNoticeDto } from './dto/order-notice.dto.js';
import { NoticeBoard } from './notice-board.js';
import { NoticeKind } from './notice-text.js';
import type { Notification } from './notification.entity.js';

/**
 * Tells customers what happens to their orders: every order event (durable, so none is missed
 * while the service is down) becomes a stored notification pushed live to the gateway.
 * Events come from the shop's services, not from users: they carry no token.
 */
@Controller()
export class NotificationsController {
  constructor(private readonly board: NoticeBoard) {}

  @Public()
  @Event('orders.events.created', { durable: 'notify-created' })
  placed(@Payload() event: OrderNoticeDto): Promise<Notification> {
    return this.board.notify(NoticeKind.ORDER_PLACED, event);
  }

  @Public()
  @Event('orders.events.paid', { durable: 'notify-paid' })
  paid(@Payload() event: OrderNoticeDto): Promise<Notification> {
    return this.board.notify(NoticeKind.ORDER_PAID, event);
  }

  @Public()
  @Event('orders.events.payment_failed', { durable: 'notify-payment-failed' })
  paymentFailed(@Payload() event: OrderNoticeDto): Promise<Notification> {
    return this.board.notify(NoticeKind.PAYMENT_FAILED, event);
  }

  @Public()
  @Event('orders.events.cancelled', { durable: 'notify-cancelled' })
  cancelled(@Payload() event: OrderNoticeDto): Promise<Notification> {
    return this.board.notify(NoticeKind.ORDER_CANCELLED, event);
  }

  /** notifications.list: the caller's latest notifications. */
  @Roles('customer')
  @Rpc()
  list(@CurrentUser() user: AuthUser): Promise<Notification[]> {
    return this.board.list(user);
  }
}
