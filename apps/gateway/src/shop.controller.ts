import { type AuthUser, CurrentUser, Permissions, Public, Roles } from '@cliffracer/auth';
import { CallerThrottlerGuard } from '@cliffracer/http';
import { NatsClient } from '@cliffracer/nats-transport';
import { Body, Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LoginDto } from './dto/login.dto.js';
import { ReservationRequestDto } from './dto/reservation-request.dto.js';
import { LoginService } from './users/login.service.js';

/** The shop's REST routes; each one calls a service over NATS. */
@Controller('api')
export class ShopController {
  constructor(
    private readonly client: NatsClient,
    private readonly logins: LoginService,
  ) {}

  // Answered here rather than through gateway.login: this door knows the client's address.
  @Public()
  @UseGuards(CallerThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  login(@Body() credentials: LoginDto) {
    return this.logins.login(credentials);
  }

  @Public()
  @Get('stock/:sku')
  stock(@Param('sku') sku: string) {
    return this.client.call('inventory', 'get_stock', { sku });
  }

  @Roles('customer')
  @Permissions('orders:write')
  @Post('reservations')
  reserve(@Body() request: ReservationRequestDto, @CurrentUser() user: AuthUser) {
    return this.client.call('inventory', 'reserve', { ...request, orderId: `${user.sub}-${randomUUID()}` });
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return { sub: user.sub, roles: user.roles, permissions: user.permissions };
  }
}
