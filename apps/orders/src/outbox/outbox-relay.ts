import { Timer } from '@cliffracer/timers';
import { Injectable } from '@nestjs/common';
import { OUTBOX_TIMER } from '../orders.settings.js';
import { OrderOutbox } from './order-outbox.js';

/** Publishes the events still waiting in the outbox (every `outboxRelayMs`; 5 s as declared). */
@Injectable()
export class OutboxRelay {
  constructor(private readonly outbox: OrderOutbox) {}

  @Timer(OUTBOX_TIMER, 5_000)
  relay(): Promise<number> {
    return this.outbox.relay();
  }
}
