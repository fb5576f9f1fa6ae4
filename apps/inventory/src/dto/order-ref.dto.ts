import { IsString, Length } from 'class-validator';

/** The part of an order event the inventory needs: which order. */
export class OrderRefDto {
  @IsString()
  @Length(1, 64)
  orderId!: string;
}
