import { IsString, Matches } from 'class-validator';

export class StockQueryDto {
  @IsString()
  @Matches(/^[A-Z0-9-]{1,32}$/, { message: 'sku must be 1-32 upper-case letters, digits or dashes' })
  sku!: string;
}
