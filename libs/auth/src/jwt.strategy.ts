import { Strategy, type StrategyOptionsWithoutRequest } from 'passport-jwt';
import { UnauthorizedError } from './errors/unauthorized.error.js';
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
  if (message.includes('No auth token')) return 'no token';
  return 'malformed token';
}

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * Verifies tokens with passport-jwt: the algorithm pinned from the options (so `none` and an
 * RS/HS swap are refused), issuer, audience and `exp` required, clock tolerance applied. One
 * strategy serves every transport: callers hand it the token itself, whatever carried it (an
 * HTTP header, a NATS header, a WebSocket handshake).
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
      jsonWebTokenOptions: { clockTolerance: options.clockToleranceSec },
    };
    this.strategy = new Strategy(strategyOptions, (payload: Record<string, unknown>, done: (error: unknown, user?: AuthUser | false, info?: unknown) => void) => {
      if (typeof payload.exp !== 'number') return done(null, false, { message: 'missing exp' });
      if (typeof payload.sub !== 'string' || payload.sub === '') return done(null, false, { message: 'missing sub' });
      done(null, { sub: payload.sub, roles: asStrings(payload.roles), permissions: asStrings(payload.permissions), claims: payload });
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
      attempt.fail = (info) => {
        const message = (info as { message?: string } | undefined)?.message;
        reject(new UnauthorizedError(message === 'missing exp' || message === 'missing sub' ? message : reasonOf(info)));
      };
      attempt.error = () => reject(new UnauthorizedError('malformed token'));
      attempt.authenticate({ token } as never);
    });
  }
}
