import { PasswordHasher, type TokenSubject, UnauthorizedError } from '@cliffracer/auth';
import { Injectable, type OnModuleInit } from '@nestjs/common';

/** A user the sample knows: a name, a password hash (scrypt), roles and permissions. */
interface StoredUser extends TokenSubject {
  passwordHash: string;
}

/** Demo accounts; their passwords are hashed at boot and the plain ones are not kept. */
const DEMO_USERS = [
  { sub: 'ann', password: 'ann-password', roles: ['customer'], permissions: ['orders:write', 'events:read'] },
  { sub: 'bob', password: 'bob-password', roles: ['customer'], permissions: ['orders:write', 'events:read'] },
  { sub: 'viewer', password: 'viewer-password', roles: ['visitor'], permissions: [] },
];

/** The users of the sample shop, with hashed passwords. */
@Injectable()
export class UserStore implements OnModuleInit {
  private readonly users = new Map<string, StoredUser>();

  async onModuleInit(): Promise<void> {
    for (const { password, ...user } of DEMO_USERS) this.users.set(user.sub, { ...user, passwordHash: await PasswordHasher.hash(password) });
  }

  /**
   * The user whose password matches; one error for unknown user and wrong password alike.
   * How often it may be asked is the login doors' business (`loginThrottlers`): a refused
   * try never reaches it, so never costs an scrypt.
   */
  async authenticate(username: string, password: string): Promise<TokenSubject> {
    const user = this.users.get(username);
    // Hash anyway for an unknown user, so the answer takes as long as for a known one.
    const matches = await PasswordHasher.verify(password, user?.passwordHash ?? DUMMY_HASH);
    if (user === undefined || !matches) throw new UnauthorizedError('wrong username or password');
    return { sub: user.sub, roles: user.roles, permissions: user.permissions };
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
