import { type AuthUser, CurrentUser, Permissions, Roles } from '@cliffracer/auth';
import { Rpc } from '@cliffracer/nats-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CreateOrderDto } from './dto/create-order.dto.js';
import { OrderIdDto } from './dto/order-id.dto.js';
import { PayOrderDto } from './dto/pay-order.dto.js';
import { OrderBook } from './order-book.js';
import type { Order } from './order.entity.js';

/** The orders service's RPCs; every one acts for the customer whose token the call carries. */
@Roles('customer')
@Controller()
export class OrdersController {
  constructor(private readonly book: OrderBook) {}

  /** orders.create: reserves, charges, and resolves the order (paid, or awaiting payment when declined). */
  @Permissions('orders:write')
  @Rpc({ timeoutMs: 45_000 })
  create(@Payload() request: CreateOrderDto, @CurrentUser() user: AuthUser): Promise<Order> {
    return this.book.place(request, user);
  }

  /** orders.pay: another payment attempt for an order awaiting one. */
  @Permissions('orders:write')
  @Rpc({ timeoutMs: 30_000 })
  pay(@Payload() request: PayOrderDto, @CurrentUser() user: AuthUser): Promise<Order> {
    return this.book.pay(request.orderId, request.paymentToken, user);
  }

  /** orders.get */
  @Rpc()
  get(@Payload() request: OrderIdDto, @CurrentUser() user: AuthUser): Promise<Order> {
    return this.book.get(request.orderId, user);
  }

  /** orders.list: the caller's latest orders. */
  @Rpc()
  list(@CurrentUser() user: AuthUser): Promise<Order[]> {
    return this.book.list(user);
  }
}
