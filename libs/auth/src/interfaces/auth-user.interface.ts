/** The authenticated caller, as handlers receive it through `@CurrentUser()`. */
export interface AuthUser {
  /** The token's subject: the user ID. */
  sub: string;
  roles: string[];
  permissions: string[];
  /** Every claim of the token, as verified. */
  claims: Record<string, unknown>;
}

/** What a token is issued for. */
export interface TokenSubject {
  sub: string;
  roles?: string[];
  permissions?: string[];
}
