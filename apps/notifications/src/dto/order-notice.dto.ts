import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';

/** What the notifications service reads of an order event: whose order, and what to tell. */
export class OrderNoticeDto {
  @IsString()
  @Length(1, 64)
  orderId!: string;

  @IsString()
  @Length(1, 64)
  customer!: string;

  @IsOptional()
  @IsString()
  @Length(1, 32)
  sku?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  quantity?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  amountCents?: number;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}
