import { Timer } from '@cliffracer/timers';
import { Injectable } from '@nestjs/common';
import { OrderBook } from './order-book.js';
import { EXPIRY_TIMER } from './orders.settings.js';

/** Sweeps for orders unpaid past their window (every `expirySweepMs`; 30 s as declared). */
@Injectable()
export class OrderExpiry {
  constructor(private readonly book: OrderBook) {}

  @Timer(EXPIRY_TIMER, 30_000)
  sweep(): Promise<number> {
    return this.book.expireDue();
  }
}
