import { Event, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ReservationDto } from './dto/reservation.dto.js';
import { StockQueryDto } from './dto/stock-query.dto.js';
import { type StockLevel, StockStore } from './stock.store.js';

/** The inventory service: stock queries, reservations, and releases when orders are cancelled. */
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

  /** An order was cancelled: what it held goes back on the shelf. */
  @Event('orders.events.cancelled')
  async release(@Payload() event: { orderId: string }): Promise<void> {
    const released = await this.stock.release(event.orderId);
    this.logger.log(released ? `released stock of ${event.orderId}` : `nothing held by ${event.orderId}`);
  }
}
