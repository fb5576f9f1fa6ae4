/** Metadata keys of the auth decorators. */
export const IS_PUBLIC_KEY = 'cliffracer:auth:public';
export const ROLES_KEY = 'cliffracer:auth:roles';
export const PERMISSIONS_KEY = 'cliffracer:auth:permissions';

/** Where the verified user is kept on a request, an RPC context or a WebSocket client. */
export const AUTH_USER = Symbol.for('cliffracer:auth:user');

/** The NATS header (and HTTP header) that carries `Bearer <token>`. */
export const AUTHORIZATION_HEADER = 'Authorization';

/** Where a WebSocket gateway keeps the token a client connected with, for the guard. */
export const WS_TOKEN = Symbol.for('cliffracer:auth:ws-token');

/**
 * The token `AuthModule` also provides `AuthFailures` under, by name, so that a library can
 * count refusals without depending on this package (`@cliffracer/metrics` does).
 */
export const AUTH_FAILURES_FEED = 'cliffracer:auth:failures';
