import type { OrderNoticeDto } from './dto/order-notice.dto.js';

/** The kinds of notification, one per order event the service listens to. */
export const NoticeKind = {
  ORDER_PLACED: 'order_placed',
  ORDER_PAID: 'order_paid',
  PAYMENT_FAILED: 'payment_failed',
  ORDER_CANCELLED: 'order_cancelled',
} as const;
export type NoticeKind = (typeof NoticeKind)[keyof typeof NoticeKind];

/** The sentence a customer reads for an order event. */
export function noticeText(kind: NoticeKind, event: OrderNoticeDto): string {
  const order = `order ${event.orderId.slice(0, 8)}`;
  switch (kind) {
    case NoticeKind.ORDER_PLACED:
      return `Your ${order} for ${event.quantity ?? '?'} x ${event.sku ?? '?'} (${money(event.amountCents)}) is placed.`;
    case NoticeKind.ORDER_PAID:
      return `We received ${money(event.amountCents)} for your ${order}.`;
    case NoticeKind.PAYMENT_FAILED:
      return `The payment for your ${order} failed (${event.reason ?? 'no reason given'}); you can pay again.`;
    case NoticeKind.ORDER_CANCELLED:
      return `Your ${order} was cancelled: ${event.reason ?? 'no reason given'}.`;
  }
}

function money(cents: number | undefined): string {
  return cents === undefined ? 'an unknown amount' : `${(cents / 100).toFixed(2)} EUR`;
}
