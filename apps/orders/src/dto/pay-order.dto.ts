import { IsString, IsUUID, Matches } from 'class-validator';

/** Another payment attempt for an order that awaits one. */
export class PayOrderDto {
  @IsUUID()
  orderId!: string;

  @IsString()
  @Matches(/^tok_[a-z0-9_]{1,40}$/, { message: 'paymentToken must look like tok_…' })
  paymentToken!: string;
}
