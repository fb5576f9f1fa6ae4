import { Public } from '@cliffracer/auth';
import { CallerThrottlerGuard } from '@cliffracer/http';
import { Rpc } from '@cliffracer/nats-transport';
import { Controller, UseGuards } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { LoginDto } from '../dto/login.dto.js';
import { LoginService } from './login.service.js';

/** gateway.login: a token for a user whose password matches, within the login limits. */
@Controller()
export class UsersController {
  constructor(private readonly logins: LoginService) {}

  @Public()
  @UseGuards(CallerThrottlerGuard)
  @Rpc()
  login(@Payload() credentials: LoginDto): Promise<{ token: string }> {
    return this.logins.login(credentials);
  }
}
