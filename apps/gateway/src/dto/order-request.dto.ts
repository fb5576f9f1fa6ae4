import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/** An order as placed over HTTP. */
export class OrderRequestDto {
  @IsString()
  @Matches(/^[A-Z0-9-]{1,32}$/, { message: 'sku must be 1-32 upper-case letters, digits or dashes' })
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;

  @IsString()
  @Matches(/^tok_[a-z0-9_]{1,40}$/, { message: 'paymentToken must look like tok_…' })
  paymentToken!: string;
}
