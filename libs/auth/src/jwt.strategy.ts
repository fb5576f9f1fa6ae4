import { Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { UnauthorizedError } from './errors/unauthorized.error.js';
import { claimsProblem } from './jwt-claims.js';
import type { AuthUser } from './interfaces/auth-user.interface.js';
import type { NormalizedAuthOptions } from './interfaces/auth-options.interface.js';

/** Why a token was refused, from the verifier's error, in a few stable words. */
function reasonOf(info: unknown): string {
  const error = info as { name?: string; message?: string } | undefined;
  if (error?.name === 'TokenExpiredError') return 'token expired';
  if (error?.name === 'NotBeforeError') return 'token not yet valid';
  const message = error?.message ?? '';
  if (message.includes('signature')) return 'bad signature';
  if (message.includes('algorithm')) return 'algorithm not allowed';
  if (message.includes('issuer')) return 'wrong issuer';
  if (message.includes('audience')) return 'wrong audience';
  if (message === 'invalid nbf value') return 'nbf is not a number';
  if (message === 'invalid exp value') return 'exp is not a number';
  if (message.includes('No auth token')) return 'no token';
  return 'malformed token';
}

/** A refusal of ours (claims), told apart from the verifier's errors. */
interface ClaimsRefusal {
  reason: string;
}

const isClaimsRefusal = (info: unknown): info is ClaimsRefusal => typeof (info as ClaimsRefusal | undefined)?.reason === 'string';

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

type Done = (error: unknown, user?: AuthUser | false, info?: unknown) => void;

/**
 * Verifies tokens with passport-jwt: the algorithm pinned from the options (so `none` and an
 * RS/HS swap are refused), issuer, audience and `exp` required, clock tolerance applied; then
 * the header and claims are held to `claimsProblem`. One strategy serves every transport:
 * callers hand it the token itself, whatever carried it (an HTTP header, a NATS header, a
 * WebSocket handshake).
 */
export class JwtStrategy {
  private readonly strategy: Strategy;

  constructor(private readonly options: NormalizedAuthOptions) {
    const strategyOptions: StrategyOptionsWithoutRequest = {
      jwtFromRequest: (req: { token?: string }) => req.token ?? null,
      secretOrKey: (options.secret ?? options.publicKey)!,
      algorithms: [options.algorithm],
      issuer: options.issuer,
      audience: options.audience,
      ignoreExpiration: false,
      // `complete` hands the verify callback the header too, for `crit`.
      jsonWebTokenOptions: { clockTolerance: options.clockToleranceSec, complete: true },
    };
    this.strategy = new Strategy(strategyOptions, (decoded: { header: Record<string, unknown>; payload: unknown }, done: Done) => {
      const problem = claimsProblem(decoded.header, decoded.payload, options, Math.floor(Date.now() / 1000));
      if (problem !== undefined) return done(null, false, { reason: problem } satisfies ClaimsRefusal);
      const claims = decoded.payload as Record<string, unknown> & { sub: string };
      done(null, { sub: claims.sub, roles: asStrings(claims.roles), permissions: asStrings(claims.permissions), claims });
    });
  }

  /** The user of a valid token; an `UnauthorizedError` saying why otherwise. */
  authenticate(token: string | undefined): Promise<AuthUser> {
    if (token === undefined || token === '') return Promise.reject(new UnauthorizedError('no token'));
    if (Buffer.byteLength(token) > this.options.maxTokenBytes) return Promise.reject(new UnauthorizedError('token too large'));
    return new Promise((resolve, reject) => {
      // Passport's way: a per-request copy of the strategy, given the outcome callbacks.
      const attempt = Object.create(this.strategy) as Strategy & {
        success(user: AuthUser): void;
        fail(info: unknown): void;
        error(error: unknown): void;
      };
      attempt.success = (user) => resolve(user);
      attempt.fail = (info) => reject(new UnauthorizedError(isClaimsRefusal(info) ? info.reason : reasonOf(info)));
      attempt.error = () => reject(new UnauthorizedError('malformed token'));
      try {
        attempt.authenticate({ token } as never);
      } catch {
        // jsonwebtoken throws rather than calls back on a signed payload of `null`.
        reject(new UnauthorizedError('malformed token'));
      }
    });
  }
}
