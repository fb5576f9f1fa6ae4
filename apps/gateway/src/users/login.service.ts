import { TokenService } from '@cliffracer/auth';
import { Injectable } from '@nestjs/common';
import type { LoginDto } from '../dto/login.dto.js';
import { UserStore } from './user.store.js';

/** A token for a user whose password matches: behind `POST /api/login` and `gateway.login`. */
@Injectable()
export class LoginService {
  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenService,
  ) {}

  async login(credentials: LoginDto): Promise<{ token: string }> {
    const user = await this.users.authenticate(credentials.username, credentials.password);
    return { token: await this.tokens.issue(user) };
  }
}
