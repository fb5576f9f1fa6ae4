import { JwtService } from '@nestjs/jwt';
import type { NormalizedAuthOptions } from './interfaces/auth-options.interface.js';
import type { AuthUser, TokenSubject } from './interfaces/auth-user.interface.js';
import { JwtStrategy } from './jwt.strategy.js';

/**
 * Issues and verifies the service's tokens with the configured algorithm, issuer, audience
 * and lifetime. Issuing with RS/ES needs the private key, which only a login service holds.
 */
export class TokenService {
  private readonly jwt = new JwtService({});
  private readonly strategy: JwtStrategy;

  constructor(private readonly options: NormalizedAuthOptions) {
    this.strategy = new JwtStrategy(options);
  }

  /** A signed token for `subject`, valid for `expiresInSec`. */
  issue(subject: TokenSubject): Promise<string> {
    const { algorithm, secret, privateKey, issuer, audience, expiresInSec } = this.options;
    return this.jwt.signAsync(
      { roles: subject.roles ?? [], permissions: subject.permissions ?? [] },
      { algorithm, secret: secret ?? privateKey, issuer, audience, expiresIn: expiresInSec, subject: subject.sub },
    );
  }

  /** The user of a valid token; rejects with `UnauthorizedError` saying why otherwise. */
  verify(token: string | undefined): Promise<AuthUser> {
    return this.strategy.authenticate(token);
  }
}
