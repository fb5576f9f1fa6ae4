import { SecureRepositoryModule } from '@cliffracer/secure-repository';
import { TimersModule } from '@cliffracer/timers';
import { type DynamicModule, Module } from '@nestjs/common';
import { shopPlatform, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { CreateOrders1763942400000 } from './migrations/1763942400000-create-orders.js';
import { CreateOrderOutbox1763942400001 } from './migrations/1763942400001-create-order-outbox.js';
import { OrderBook } from './order-book.js';
import { OrderExpiry } from './order-expiry.js';
import { Order } from './order.entity.js';
import { OrdersController } from './orders.controller.js';
import { EXPIRY_TIMER, ORDERS_SETTINGS, type OrdersSettings, OUTBOX_TIMER } from './orders.settings.js';
import { OrderOutbox } from './outbox/order-outbox.js';
import { OutboxEvent } from './outbox/outbox-event.entity.js';
import { OutboxRelay } from './outbox/outbox-relay.js';

@Module({})
export class OrdersModule {
  /** The orders service: its orders and its outbox in its own database, an expiry sweep, token checks. */
  static forRoot(config: ShopServiceConfig, settings: OrdersSettings): DynamicModule {
    return {
      module: OrdersModule,
      imports: [
        ...shopPlatform(config),
        TimersModule.forRoot({
          service: config.nats.service,
          intervals: { [EXPIRY_TIMER]: settings.expirySweepMs, [OUTBOX_TIMER]: settings.outboxRelayMs },
        }),
        SecureRepositoryModule.forRoot({
          ...config.database,
          migrations: [CreateOrders1763942400000, CreateOrderOutbox1763942400001],
          migrationsRun: true,
        }),
        SecureRepositoryModule.forFeature([Order, OutboxEvent]),
      ],
      controllers: [OrdersController],
      providers: [OrderBook, OrderExpiry, OrderOutbox, OutboxRelay, { provide: ORDERS_SETTINGS, useValue: settings }],
    };
  }
}
