import { IsString, Length } from 'class-validator';

export class RefundRequestDto {
  @IsString()
  @Length(1, 64)
  orderId!: string;
}
