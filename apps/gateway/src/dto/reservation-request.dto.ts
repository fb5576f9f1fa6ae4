import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/** A reservation asked for over HTTP; the order ID is made by the gateway. */
export class ReservationRequestDto {
  @IsString()
  @Matches(/^[A-Z0-9-]{1,32}$/, { message: 'sku must be 1-32 upper-case letters, digits or dashes' })
  sku!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  quantity!: number;
}
