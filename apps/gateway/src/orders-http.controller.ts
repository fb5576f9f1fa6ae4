import { type AuthUser, CurrentUser, Roles } from '@cliffracer/auth';
import { NatsClient } from '@cliffracer/nats-transport';
import { Body, Controller, Get, HttpCode, Logger, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { OrderRequestDto } from './dto/order-request.dto.js';
import { PaymentRequestDto } from './dto/payment-request.dto.js';

/** Waits longer than the orders service gives itself, so its own answer arrives first. */
const ORDER_CALL_TIMEOUT_MS = 50_000;

/**
 * Orders and notifications over HTTP. The caller's token travels with every call, so the
 * services check it themselves and act for that customer.
 */
@Roles('customer')
@Controller('api')
export class OrdersHttpController {
  private readonly logger = new Logger(OrdersHttpController.name);

  constructor(private readonly client: NatsClient) {}

  @Post('orders')
  place(@Body() order: OrderRequestDto, @CurrentUser() user: AuthUser) {
    this.logger.log(`${user.sub} orders ${order.quantity} x ${order.sku}`);
    return this.client.call('orders', 'create', order, { timeoutMs: ORDER_CALL_TIMEOUT_MS });
  }

  @Get('orders')
  list() {
    return this.client.call('orders', 'list');
  }

  @Get('orders/:id')
  get(@Param('id', new ParseUUIDPipe()) orderId: string) {
    return this.client.call('orders', 'get', { orderId });
  }

  @Post('orders/:id/pay')
  @HttpCode(200)
  pay(@Param('id', new ParseUUIDPipe()) orderId: string, @Body() payment: PaymentRequestDto) {
    return this.client.call('orders', 'pay', { orderId, ...payment }, { timeoutMs: ORDER_CALL_TIMEOUT_MS });
  }

  @Get('notifications')
  notifications() {
    return this.client.call('notifications', 'list');
  }
}
