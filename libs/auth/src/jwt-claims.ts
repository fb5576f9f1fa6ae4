/** The limits the claims of a verified token are held to. */
export interface ClaimLimits {
  /** Seconds a token may be valid for, from `iat` (or now) to `exp`. */
  maxTokenLifetimeSec: number;
  /** Seconds an `iat` may lie ahead of this clock. */
  clockToleranceSec: number;
}

/** The NumericDate claims (RFC 7519 §4.1.4 to §4.1.6): seconds since the epoch, nothing else. */
const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;

/**
 * Why a token whose signature, algorithm, issuer and audience passed is still refused, or
 * `undefined` when it is not. jsonwebtoken leaves these to us: it ignores `crit`, reads `iat`
 * only for `maxAge`, and lets an `exp` of `1e400` (Infinity once parsed) through.
 */
export function claimsProblem(header: Record<string, unknown>, payload: unknown, limits: ClaimLimits, nowSec: number): string | undefined {
  // RFC 7515 §4.1.11: critical extensions the recipient does not understand must be refused,
  // and this verifier understands none.
  if (Object.hasOwn(header, 'crit')) return 'crit header not supported';
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'malformed token';
  const claims = payload as Record<string, unknown>;
  for (const name of TIME_CLAIMS) {
    if (claims[name] !== undefined && !Number.isFinite(claims[name])) return `${name} is not a number`;
  }
  const { iat, exp } = claims as { iat?: number; exp?: number };
  if (exp === undefined) return 'missing exp';
  if (typeof claims.sub !== 'string' || claims.sub === '') return 'missing sub';
  if (iat !== undefined && iat > nowSec + limits.clockToleranceSec) return 'issued in the future';
  // Counted from now when `iat` is missing or ahead of this clock, so no `iat` widens the window.
  if (exp - Math.min(iat ?? nowSec, nowSec) > limits.maxTokenLifetimeSec) return 'lifetime too long';
  return undefined;
}
