/** Signature algorithms a service may pin; `none` is never one of them. */
export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

/** Options of `AuthModule.forRoot`; secrets come from configuration, never from code. */
export interface AuthModuleOptions {
  /** The one algorithm tokens must be signed with. @default 'HS256' */
  algorithm?: JwtAlgorithm;
  /** Shared secret for HS algorithms, at least 32 characters. */
  secret?: string;
  /** PEM public key for RS/ES algorithms (verifying). */
  publicKey?: string;
  /** PEM private key for RS/ES algorithms (issuing; only the login service needs it). */
  privateKey?: string;
  /** The `iss` claim issued and required. */
  issuer: string;
  /** The `aud` claim issued and required. */
  audience: string;
  /** Lifetime of issued tokens, in seconds. @default 900 */
  expiresInSec?: number;
  /**
   * Longest validity a token may have, `exp - iat` in seconds (from now when `iat` is missing);
   * longer tokens are refused whoever signed them, and `expiresInSec` must fit in it.
   * @default 86400 (24 hours)
   */
  maxTokenLifetimeSec?: number;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds. @default 5 */
  clockToleranceSec?: number;
  /** Larger tokens are refused before any parsing. @default 8192 */
  maxTokenBytes?: number;
  /** Nested calls and events of an authenticated request carry its token. @default true */
  forwardToken?: boolean;
  /**
   * Tells a refused caller why (`unauthorized: token expired`) instead of only `unauthorized`.
   * For development: the reasons help whoever probes the service with forged tokens. They are
   * always logged on the server, without the token.
   * @default false
   */
  revealFailureReasons?: boolean;
  /** Guards every handler (RPC, HTTP, WebSocket) unless `@Public()`. @default true */
  globalGuard?: boolean;
}

/** The options with defaults applied. */
export type NormalizedAuthOptions = Required<Omit<AuthModuleOptions, 'secret' | 'publicKey' | 'privateKey'>> &
  Pick<AuthModuleOptions, 'secret' | 'publicKey' | 'privateKey'>;
