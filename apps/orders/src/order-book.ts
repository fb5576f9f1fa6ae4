import type { AuthUser } from '@cliffracer/auth';
import { NatsClient } from '@cliffracer/nats-transport';
import { InjectSecureRepository, type SecureRepository } from '@cliffracer/secure-repository';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CreateOrderDto } from './dto/create-order.dto.js';
import { ORDER_EVENTS, type OrderCancelledEvent } from './order-events.js';
import { Order, OrderStatus } from './order.entity.js';
import { OrderNotFoundError, OrderNotPayableError } from './orders.errors.js';
import { ORDERS_SETTINGS, type OrdersSettings } from './orders.settings.js';
import { OrderOutbox } from './outbox/order-outbox.js';

/** Inventory refusals that settle an order as rejected; other failures leave the outcome open. */
const REFUSALS = new Set(['OUT_OF_STOCK', 'UNKNOWN_SKU', 'RESERVATION_CONFLICT', 'VALIDATION_ERROR']);
const PAYMENT_DECLINED = 'PAYMENT_DECLINED';
/** Orders one expiry sweep handles; the next sweep takes the rest. */
const SWEEP_BATCH = 100;

interface Charge {
  chargeId: string;
  amountCents: number;
}

/**
 * The orders of the shop: placed (stock reserved at the inventory, the amount charged at
 * payments), paid again after a declined card, cancelled when unpaid past their window. Every
 * change of state is announced as a durable event, kept in the outbox with the change and
 * published before the caller hears back (or by the outbox relay, if NATS cannot take it then).
 */
@Injectable()
export class OrderBook {
  private readonly logger = new Logger(OrderBook.name);

  constructor(
    @InjectSecureRepository(Order) private readonly orders: SecureRepository<Order>,
    private readonly client: NatsClient,
    private readonly outbox: OrderOutbox,
    @Inject(ORDERS_SETTINGS) private readonly settings: OrdersSettings,
  ) {}

  /** Places an order: reserves its stock, then charges it; a declined card leaves it awaiting payment. */
  async place(request: CreateOrderDto, customer: AuthUser): Promise<Order> {
    const now = new Date();
    const order = await this.orders.create({
      id: randomUUID(),
      customer: customer.sub,
      sku: request.sku,
      quantity: request.quantity,
      status: OrderStatus.PENDING,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.settings.paymentWindowMs),
    });
    let priceCents: number;
    try {
      ({ priceCents } = await this.client.call<{ priceCents: number }>('inventory', 'reserve', { orderId: order.id, sku: order.sku, quantity: order.quantity }));
    } catch (error) {
      // A refusal is final; a timeout may have reserved, so the order stays pending for the sweep.
      if (REFUSALS.has(codeOf(error))) await this.settle(order.id, OrderStatus.PENDING, { status: OrderStatus.REJECTED, failure: (error as Error).message });
      throw error;
    }
    const amountCents = priceCents * order.quantity;
    const created = { orderId: order.id, customer: order.customer, sku: order.sku, quantity: order.quantity, amountCents };
    await this.settle(order.id, OrderStatus.PENDING, { status: OrderStatus.AWAITING_PAYMENT, amountCents }, [ORDER_EVENTS.created, created]);
    this.logger.log(`order ${order.id} placed: ${order.quantity} x ${order.sku} for ${amountCents} cents`);
    return this.charge({ ...order, amountCents, status: OrderStatus.AWAITING_PAYMENT }, request.paymentToken);
  }

  /** Tries to pay an order that awaits its payment, with another payment token. */
  async pay(orderId: string, paymentToken: string, customer: AuthUser): Promise<Order> {
    const order = await this.get(orderId, customer);
    if (order.status !== OrderStatus.AWAITING_PAYMENT || order.expiresAt.getTime() <= Date.now()) {
      throw new OrderNotPayableError(orderId, order.status === OrderStatus.AWAITING_PAYMENT ? 'past its payment window' : order.status);
    }
    return this.charge(order, paymentToken);
  }

  /** One of the customer's orders. */
  async get(orderId: string, customer: AuthUser): Promise<Order> {
    const order = await this.orders.findById(orderId);
    if (order === null || order.customer !== customer.sub) throw new OrderNotFoundError(orderId);
    return order;
  }

  /** The customer's latest orders, newest first. */
  list(customer: AuthUser): Promise<Order[]> {
    return this.orders.findMany({ where: { customer: customer.sub }, orderBy: { createdAt: 'DESC' }, limit: 50 });
  }

  /**
   * Cancels orders still unpaid (or never reserved) past their window, and announces each, so
   * the inventory puts their stock back. Instances sweeping at once never cancel one twice.
   */
  async expireDue(): Promise<number> {
    const due = await this.orders.findMany({
      where: { status: { in: [OrderStatus.PENDING, OrderStatus.AWAITING_PAYMENT] }, expiresAt: { lt: new Date() } },
      orderBy: { expiresAt: 'ASC' },
      limit: SWEEP_BATCH,
    });
    let cancelled = 0;
    for (const order of due) {
      const event: OrderCancelledEvent = { orderId: order.id, customer: order.customer, reason: 'not paid in time' };
      if (await this.settle(order.id, order.status, { status: OrderStatus.CANCELLED, failure: 'not paid in time' }, [ORDER_EVENTS.cancelled, event])) cancelled += 1;
    }
    if (cancelled > 0) this.logger.log(`cancelled ${cancelled} unpaid order(s)`);
    return cancelled;
  }

  private async charge(order: Order, paymentToken: string): Promise<Order> {
    let charge: Charge;
    try {
      charge = await this.client.call<Charge>('payments', 'charge', { orderId: order.id, amountCents: order.amountCents, paymentToken });
    } catch (error) {
      if (codeOf(error) !== PAYMENT_DECLINED) throw error;
      const reason = (error as Error).message;
      const failed = { orderId: order.id, customer: order.customer, reason };
      await this.settle(order.id, OrderStatus.AWAITING_PAYMENT, { failure: reason }, [ORDER_EVENTS.paymentFailed, failed]);
      this.logger.warn(`payment of order ${order.id} declined: ${reason}`);
      return this.current(order.id);
    }
    const paid = { orderId: order.id, customer: order.customer, amountCents: charge.amountCents, chargeId: charge.chargeId };
    const changes = { status: OrderStatus.PAID, chargeId: charge.chargeId, paidAt: new Date(), failure: null };
    if (!(await this.settle(order.id, OrderStatus.AWAITING_PAYMENT, changes, [ORDER_EVENTS.paid, paid]))) {
      // The sweep cancelled it while the card was charged: the money goes back.
      await this.client.call('payments', 'refund', { orderId: order.id });
      throw new OrderNotPayableError(order.id, OrderStatus.CANCELLED);
    }
    this.logger.log(`order ${order.id} paid (${charge.chargeId})`);
    return this.current(order.id);
  }

  /** The order as stored now: what callers are answered with. */
  private async current(orderId: string): Promise<Order> {
    const order = await this.orders.findById(orderId);
    if (order === null) throw new OrderNotFoundError(orderId);
    return order;
  }

  /**
   * Moves an order on only if it is still in `from`: concurrent changes never both apply. The
   * event announcing the change, if any, is recorded in the same transaction, then published.
   */
  private async settle(orderId: string, from: OrderStatus, changes: Partial<Order>, announce?: [subject: string, event: object]): Promise<boolean> {
    const moved = await this.orders.transaction(async (orders, tx) => {
      if ((await orders.updateMany({ id: orderId, status: from }, changes)) !== 1) return false;
      if (announce !== undefined) await this.outbox.record(tx, orderId, ...announce);
      return true;
    });
    if (moved && announce !== undefined) await this.outbox.sendFor(orderId);
    return moved;
  }
}

/** The machine-readable code of an error from another service (typed or `RemoteError`). */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}
