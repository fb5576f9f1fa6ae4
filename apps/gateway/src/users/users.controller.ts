import { Public, TokenService } from '@cliffracer/auth';
import { Rpc } from '@cliffracer/nats-transport';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { LoginDto } from '../dto/login.dto.js';
import { UserStore } from './user.store.js';

/** gateway.login: a token for a user whose password matches. */
@Controller()
export class UsersController {
  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenService,
  ) {}

  @Public()
  @Rpc()
  async login(@Payload() credentials: LoginDto): Promise<{ token: string }> {
    const user = await this.users.authenticate(credentials.username, credentials.password);
    return { token: await this.tokens.issue(user) };
  }
}
