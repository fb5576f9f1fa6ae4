import { Event, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OrderRefDto } from './dto/order-ref.dto.js';
import { ReservationDto } from './dto/reservation.dto.js';
import { StockQueryDto } from './dto/stock-query.dto.js';
import { type StockLevel, StockStore } from './stock.store.js';

/** The inventory service: stock and prices, reservations held for orders until paid or cancelled. */
@Controller()
export class InventoryController {
  private readonly logger = new Logger(InventoryController.name);

  constructor(
    private readonly stock: StockStore,
    private readonly client: NatsClient,
  ) {}

  /** inventory.get_stock */
  @Rpc()
  get_stock(@Payload() query: StockQueryDto): Promise<StockLevel> {
    return this.stock.level(query.sku);
  }

  /** inventory.reserve: holds stock for an order and announces it. */
  @Rpc({ timeoutMs: 2000 })
  async reserve(@Payload() reservation: ReservationDto): Promise<StockLevel> {
    const level = await this.stock.reserve(reservation.orderId, reservation.sku, reservation.quantity);
    this.logger.log(`reserved ${reservation.quantity} x ${reservation.sku} for ${reservation.orderId}`);
    await this.client.emit('inventory.events.reserved', { ...reservation, remaining: level.available });
    return level;
  }

  /** An order was paid: what it held is sold. */
  @Event('orders.events.paid', { durable: 'commit-paid' })
  async commit(@Payload() event: OrderRefDto): Promise<void> {
    const committed = await this.stock.commit(event.orderId);
    this.logger.log(committed ? `sold the stock held by ${event.orderId}` : `nothing held by ${event.orderId}`);
  }

  /** An order was cancelled (or expired unpaid): what it held goes back on the shelf. */
  @Event('orders.events.cancelled', { durable: 'release-cancelled' })
  async release(@Payload() event: OrderRefDto): Promise<void> {
    const released = await this.stock.release(event.orderId);
    this.logger.log(released ? `released stock of ${event.orderId}` : `nothing held by ${event.orderId}`);
  }
}
