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

/** Logins a username may try within `LOGIN_WINDOW_MS` without one succeeding. */
export const MAX_LOGIN_ATTEMPTS = 5;
export const LOGIN_WINDOW_MS = 60_000;
/** Usernames whose attempts are counted at once: the oldest are forgotten past it. */
const TRACKED_USERNAMES = 10_000;

/** The users of the sample shop, with hashed passwords. */
@Injectable()
export class UserStore implements OnModuleInit {
  private readonly users = new Map<string, StoredUser>();
  /** Attempts per username since the first of the current window, known users or not (no enumeration). */
  private readonly attempts = new Map<string, { count: number; since: number }>();

  async onModuleInit(): Promise<void> {
    for (const { password, ...user } of DEMO_USERS) this.users.set(user.sub, { ...user, passwordHash: await PasswordHasher.hash(password) });
  }

  /**
   * The user whose password matches; one error for unknown user and wrong password alike.
   * Past `MAX_LOGIN_ATTEMPTS` tries of one username within `LOGIN_WINDOW_MS`, further tries are
   * refused without hashing: guesses cannot run at the caller's rate, nor each cost an scrypt.
   * Attempts are counted as they begin, so concurrent guesses are bounded too.
   */
  async authenticate(username: string, password: string): Promise<TokenSubject> {
    if (!this.mayTry(username, Date.now())) throw new UnauthorizedError('too many login attempts, try again later');
    const user = this.users.get(username);
    // Hash anyway for an unknown user, so the answer takes as long as for a known one.
    const matches = await PasswordHasher.verify(password, user?.passwordHash ?? DUMMY_HASH);
    if (user === undefined || !matches) throw new UnauthorizedError('wrong username or password');
    this.attempts.delete(username);
    return { sub: user.sub, roles: user.roles, permissions: user.permissions };
  }

  private mayTry(username: string, now: number): boolean {
    const current = this.attempts.get(username);
    if (current !== undefined && now - current.since < LOGIN_WINDOW_MS) {
      current.count += 1;
      return current.count <= MAX_LOGIN_ATTEMPTS;
    }
    this.attempts.delete(username);
    // Map order is insertion order: the first entry is the oldest window.
    if (this.attempts.size >= TRACKED_USERNAMES) this.attempts.delete(this.attempts.keys().next().value!);
    this.attempts.set(username, { count: 1, since: now });
    return true;
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
