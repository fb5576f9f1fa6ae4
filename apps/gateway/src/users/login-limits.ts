import { numberFrom } from '@cliffracer-sample/shop-common';
import { addressTracker, userNameTracker } from '@cliffracer/http';
import type { ThrottlerOptions } from '@nestjs/throttler';

/** How many logins the gateway lets through, over HTTP and over NATS alike. */
export interface LoginLimits {
  /** Tries of one user name from one client address per window. @default 10 */
  perUser: number;
  /** Tries of any user names from one client address per window. @default 30 */
  perAddress: number;
  /** The window, in milliseconds; a caller past a limit waits until it ends. @default 60000 */
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 10, perAddress: 30, windowMs: 60_000 };

/**
 * The login throttlers: per address (one address cannot try many users) and per user name
 * from one address (one address cannot try one user fast, and locks out only itself). No
 * limit per user name alone: anyone could lock a user out with it. Over NATS the address is
 * unknown, so every NATS caller shares one: `gateway.login` is for the shop's own services.
 * The address throttler comes first, so a refused address adds no count per user name.
 */
export function loginThrottlers(limits: LoginLimits): ThrottlerOptions[] {
  return [
    { name: 'login-address', ttl: limits.windowMs, limit: limits.perAddress, getTracker: addressTracker() },
    { name: 'login-user', ttl: limits.windowMs, limit: limits.perUser, getTracker: userNameTracker({ field: 'username' }) },
  ];
}

/** `LOGIN_ATTEMPTS_PER_USER`, `LOGIN_ATTEMPTS_PER_ADDRESS`, `LOGIN_WINDOW_MS`; a value that is not a whole number fails at boot. */
export function loginLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): LoginLimits {
  return {
    perUser: numberFrom(env, 'LOGIN_ATTEMPTS_PER_USER', DEFAULT_LOGIN_LIMITS.perUser),
    perAddress: numberFrom(env, 'LOGIN_ATTEMPTS_PER_ADDRESS', DEFAULT_LOGIN_LIMITS.perAddress),
    windowMs: numberFrom(env, 'LOGIN_WINDOW_MS', DEFAULT_LOGIN_LIMITS.windowMs),
  };
}
