import type { ExecutionContext } from '@nestjs/common';
import { DEFAULT_IPV6_SUBNET_PREFIX, normalizeIp, type ThrottlerGetTrackerFunction } from '@nestjs/throttler';
import { isIP } from 'node:net';
import type { ThrottledRequest } from './throttled-request.js';

/** The header a trusted front door sets on a NATS call: the address of the HTTP client it serves. */
export const CLIENT_ADDRESS_HEADER = 'X-Client-Address';

/** What every NATS caller counts as when its address is not known (or not trusted). */
export const UNKNOWN_NATS_CALLER = 'nats';

/** Longest user name told apart: longer ones, and missing ones, all count as one name. @default 256 */
export const DEFAULT_MAX_USER_NAME_LENGTH = 256;

/** How the trackers tell callers apart. */
export interface CallerTrackerOptions {
  /**
   * Over NATS, take the caller's address from `X-Client-Address`. NATS does not tell a handler
   * who published a message, and any client allowed to publish on the subject can set this
   * header: turn it on only where NATS permissions let just your front doors publish there.
   * Over HTTP the header is never read (fastify's `trustProxy` decides what `request.ip` is).
   * @default false: every NATS caller counts as the one address `nats`
   */
  trustClientAddressHeader?: boolean;
  /** IPv6 addresses count per subnet of this many bits (one host often holds a whole /64). @default 64 */
  ipv6SubnetPrefix?: number;
}

/** Options of `userNameTracker`. */
export interface UserNameTrackerOptions extends CallerTrackerOptions {
  /** Field of the body (HTTP) or payload (NATS) holding the user name. @default 'username' */
  field?: string;
  /** Longest user name told apart. @default 256 */
  maxLength?: number;
}

/**
 * The caller's address: over HTTP fastify's `request.ip`, over NATS the trusted
 * `X-Client-Address` or `nats`. IPv6 addresses are cut to their subnet.
 */
export function callerAddressOf(request: ThrottledRequest, context: ExecutionContext | undefined, options: CallerTrackerOptions = {}): string {
  const prefix = options.ipv6SubnetPrefix ?? DEFAULT_IPV6_SUBNET_PREFIX;
  if (context?.getType() !== 'rpc') return typeof request.ip === 'string' && request.ip !== '' ? normalizeIp(request.ip, prefix) : 'unknown';
  if (!options.trustClientAddressHeader) return UNKNOWN_NATS_CALLER;
  const forwarded = request.headers[CLIENT_ADDRESS_HEADER.toLowerCase()];
  // One address exactly: a list, a name or garbage is not vouched for by a front door.
  return typeof forwarded === 'string' && isIP(forwarded) !== 0 ? normalizeIp(forwarded, prefix) : UNKNOWN_NATS_CALLER;
}

/** Counts calls per caller address (`callerAddressOf`). */
export function addressTracker(options: CallerTrackerOptions = {}): ThrottlerGetTrackerFunction {
  return (request, context) => callerAddressOf(request as ThrottledRequest, context, options);
}

/**
 * Counts calls per user name from one caller address: one address cannot try one user past
 * the limit, and what it tries never holds back that user from another address. Names are
 * compared case-insensitively (NFKC, lower case); a missing, non-string or over-long name
 * counts as one name of its own, so it neither escapes the count nor grows it.
 */
export function userNameTracker(options: UserNameTrackerOptions = {}): ThrottlerGetTrackerFunction {
  const field = options.field ?? 'username';
  const maxLength = options.maxLength ?? DEFAULT_MAX_USER_NAME_LENGTH;
  return (request, context) => {
    const body = (request as ThrottledRequest).body;
    const raw = typeof body === 'object' && body !== null && Object.hasOwn(body, field) ? (body as Record<string, unknown>)[field] : undefined;
    const name = typeof raw === 'string' && raw.length > 0 && raw.length <= maxLength ? JSON.stringify(raw.normalize('NFKC').toLowerCase()) : '-';
    return `${callerAddressOf(request as ThrottledRequest, context, options)} ${name}`;
  };
}
