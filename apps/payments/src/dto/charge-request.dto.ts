import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

/** Charge `amountCents` for an order with a payment token. */
export class ChargeRequestDto {
  @IsString()
  @Length(1, 64)
  orderId!: string;

  @IsInt()
  @Min(0)
  @Max(100_000_000)
  amountCents!: number;

  @IsString()
  @Matches(/^tok_[a-z0-9_]{1,40}$/, { message: 'paymentToken must look like tok_…' })
  paymentToken!: string;
}
