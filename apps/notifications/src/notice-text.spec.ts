import { describe, expect, it } from '@jest/globals';
import { NoticeKind, noticeText } from './notice-text.js';

const event = { orderId: '0f8fad5b-d9cb-469f-a165-70867728950e', customer: 'ann' };

describe('noticeText', () => {
  it('tells what was ordered and for how much', () => {
    expect(noticeText(NoticeKind.ORDER_PLACED, { ...event, sku: 'KB-101', quantity: 2, amountCents: 9800 })).toBe(
      'Your order 0f8fad5b for 2 x KB-101 (98.00 EUR) is placed.',
    );
  });

  it('tells how much was received', () => {
    expect(noticeText(NoticeKind.ORDER_PAID, { ...event, amountCents: 2500 })).toBe('We received 25.00 EUR for your order 0f8fad5b.');
  });

  it('tells why a payment failed and that it can be tried again', () => {
    expect(noticeText(NoticeKind.PAYMENT_FAILED, { ...event, reason: 'card declined' })).toBe(
      'The payment for your order 0f8fad5b failed (card declined); you can pay again.',
    );
  });

  it('tells why an order was cancelled', () => {
    expect(noticeText(NoticeKind.ORDER_CANCELLED, { ...event, reason: 'not paid in time' })).toBe('Your order 0f8fad5b was cancelled: not paid in time.');
  });
});
