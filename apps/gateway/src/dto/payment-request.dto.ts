import { IsString, Matches } from 'class-validator';

/** Another payment attempt, over HTTP. */
export class PaymentRequestDto {
  @IsString()
  @Matches(/^tok_[a-z0-9_]{1,40}$/, { message: 'paymentToken must look like tok_…' })
  paymentToken!: string;
}
