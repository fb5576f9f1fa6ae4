import type { AuthUser } from '@cliffracer/auth';
import { NatsClient } from '@cliffracer/nats-transport';
import { InjectSecureRepository, type SecureRepository } from '@cliffracer/secure-repository';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Charge, ChargeStatus } from './charge.entity.js';
import { declineReason } from './decline-rules.js';
import type { ChargeRequestDto } from './dto/charge-request.dto.js';
import { ChargeConflictError, ChargeNotFoundError, PaymentDeclinedError } from './payments.errors.js';
import { PAYMENTS_SETTINGS, type PaymentsSettings } from './payments.settings.js';

/** What a caller learns of a charge. */
export interface ChargeReceipt {
  chargeId: string;
  orderId: string;
  amountCents: number;
  status: ChargeStatus;
}

/**
 * Charges orders through a simulated card network and keeps every attempt. Charging an order
 * again (a caller retrying after a lost reply) answers with the charge that went through,
 * never a second one: the database lets one charge per order succeed.
 */
@Injectable()
export class PaymentLedger {
  private readonly logger = new Logger(PaymentLedger.name);

  constructor(
    @InjectSecureRepository(Charge) private readonly charges: SecureRepository<Charge>,
    private readonly client: NatsClient,
    @Inject(PAYMENTS_SETTINGS) private readonly settings: PaymentsSettings,
  ) {}

  async charge(request: ChargeRequestDto, customer: AuthUser): Promise<ChargeReceipt> {
    const earlier = await this.settled(request.orderId);
    if (earlier !== null) return this.repeat(earlier, request);
    const attempt = { id: randomUUID(), orderId: request.orderId, customer: customer.sub, amountCents: request.amountCents, createdAt: new Date() };
    const reason = declineReason(request.paymentToken, request.amountCents, this.settings.limitCents);
    if (reason !== undefined) {
      await this.charges.create({ ...attempt, status: ChargeStatus.DECLINED, reason });
      await this.client.emit('payments.events.declined', { orderId: request.orderId, customer: customer.sub, reason });
      throw new PaymentDeclinedError(request.orderId, reason);
    }
    try {
      await this.charges.create({ ...attempt, status: ChargeStatus.SUCCEEDED });
    } catch (error) {
      // A concurrent attempt for the same order won the unique index: answer with its charge.
      const winner = await this.settled(request.orderId);
      if (winner === null) throw error;
      return this.repeat(winner, request);
    }
    this.logger.log(`charged ${request.amountCents} cents for order ${request.orderId}`);
    await this.client.emit('payments.events.charged', { orderId: request.orderId, customer: customer.sub, amountCents: request.amountCents, chargeId: attempt.id });
    return receipt({ ...attempt, status: ChargeStatus.SUCCEEDED });
  }

  /** Gives back the money of an order's charge. */
  async refund(orderId: string): Promise<ChargeReceipt> {
    const charge = await this.settled(orderId);
    if (charge === null) throw new ChargeNotFoundError(orderId);
    if (charge.status === ChargeStatus.REFUNDED) return receipt(charge);
    await this.charges.updateMany({ id: charge.id, status: ChargeStatus.SUCCEEDED }, { status: ChargeStatus.REFUNDED });
    this.logger.log(`refunded order ${orderId} (${charge.id})`);
    await this.client.emit('payments.events.refunded', { orderId, customer: charge.customer, amountCents: charge.amountCents, chargeId: charge.id });
    return receipt({ ...charge, status: ChargeStatus.REFUNDED });
  }

  /** The charge of an order that went through (and may since have been refunded). */
  private settled(orderId: string): Promise<Charge | null> {
    return this.charges.findOne({ orderId, status: { in: [ChargeStatus.SUCCEEDED, ChargeStatus.REFUNDED] } });
  }

  private repeat(earlier: Charge, request: ChargeRequestDto): ChargeReceipt {
    if (earlier.amountCents !== request.amountCents || earlier.status !== ChargeStatus.SUCCEEDED) throw new ChargeConflictError(request.orderId);
    return receipt(earlier);
  }
}

function receipt(charge: Pick<Charge, 'id' | 'orderId' | 'amountCents' | 'status'>): ChargeReceipt {
  return { chargeId: charge.id, orderId: charge.orderId, amountCents: charge.amountCents, status: charge.status };
}
