import { type AuthUser, CurrentUser, Permissions, Roles } from '@cliffracer/auth';
import { Rpc } from '@cliffracer/nats-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChargeRequestDto } from './dto/charge-request.dto.js';
import { RefundRequestDto } from './dto/refund-request.dto.js';
import { type ChargeReceipt, PaymentLedger } from './payment-ledger.js';

/** The payments service's RPCs, called with the paying customer's token (forwarded by orders). */
@Roles('customer')
@Permissions('orders:write')
@Controller()
export class PaymentsController {
  constructor(private readonly ledger: PaymentLedger) {}

  /** payments.charge: charges once per order; a declined card is a `PaymentDeclinedError`. */
  @Rpc()
  charge(@Payload() request: ChargeRequestDto, @CurrentUser() user: AuthUser): Promise<ChargeReceipt> {
    return this.ledger.charge(request, user);
  }

  /** payments.refund */
  @Rpc()
  refund(@Payload() request: RefundRequestDto): Promise<ChargeReceipt> {
    return this.ledger.refund(request.orderId);
  }
}
