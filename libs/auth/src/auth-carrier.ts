import type { ExecutionContext } from '@nestjs/common';
import { AUTH_USER, AUTHORIZATION_HEADER, WS_TOKEN } from './auth.constants.js';
import { UnauthorizedError } from './errors/unauthorized.error.js';
import type { AuthUser } from './interfaces/auth-user.interface.js';

type Carrier = Record<PropertyKey, unknown>;

/** NATS message headers (`MsgHdrs`), as far as reading them goes. */
interface NatsHeaders {
  keys(): string[];
  values(key: string): string[];
}

/** Where a request keeps its headers: a NATS context, a fastify or Node HTTP request, a handshake. */
interface HeaderSource {
  /** A NATS context (`NatsContext`). */
  getHeaders?: () => NatsHeaders | undefined;
  /** A fastify request: the Node request under it. */
  raw?: HeaderSource;
  /** A Node request: every header line, name then value (`headers` keeps one `Authorization`). */
  rawHeaders?: string[];
  headers?: Record<string, unknown>;
}

const AUTHORIZATION = AUTHORIZATION_HEADER.toLowerCase();

/** Every `Authorization` value a request carries, whatever the casing of the header name. */
function authorizationValues(source: unknown): string[] {
  const s = source as HeaderSource | undefined;
  if (typeof s?.getHeaders === 'function') {
    // NATS header names are case-sensitive; read here as HTTP reads them, so no casing slips past.
    const headers = s.getHeaders();
    if (headers === undefined) return [];
    return headers.keys().filter((key) => key.toLowerCase() === AUTHORIZATION).flatMap((key) => headers.values(key));
  }
  const lines = (s?.raw ?? s)?.rawHeaders;
  if (Array.isArray(lines)) {
    const values: string[] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) if (lines[i]!.toLowerCase() === AUTHORIZATION) values.push(lines[i + 1]!);
    return values;
  }
  const value = s?.headers?.[AUTHORIZATION];
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? [value] : [];
}

/** The token of an `Authorization: Bearer <token>` value. */
export function bearer(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^Bearer[ ]+(\S+)$/i.exec(value.trim());
  return match?.[1];
}

/**
 * The bearer token of a request's `Authorization` header: an HTTP request (Node or fastify),
 * a NATS context or a socket.io handshake; `undefined` when there is none. Two headers (in any
 * casing) are refused rather than letting one of them win, as is a value that is not
 * `Bearer <token>`: both throw `UnauthorizedError`.
 */
export function bearerOf(request: unknown): string | undefined {
  const values = authorizationValues(request);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new UnauthorizedError('duplicate Authorization header');
  const token = bearer(values[0]);
  if (token === undefined) throw new UnauthorizedError('not a bearer token');
  return token;
}

/** What carries the auth of this context: the HTTP request, the NATS context, the WebSocket client. */
function carrierOf(context: ExecutionContext): Carrier {
  switch (context.getType<'http' | 'rpc' | 'ws'>()) {
    case 'rpc':
      return context.switchToRpc().getContext<Carrier>();
    case 'ws':
      return context.switchToWs().getClient<Carrier>();
    default:
      return context.switchToHttp().getRequest<Carrier>();
  }
}

/**
 * The bearer token of a request: the `Authorization` header over HTTP and NATS; over a
 * WebSocket, the token the connection was opened with (`WS_TOKEN` on the client), the
 * handshake's `auth.token` or `Authorization` header, or the message's `token`. Throws
 * `UnauthorizedError` for a duplicate or malformed `Authorization` header (`bearerOf`).
 */
export function tokenOf(context: ExecutionContext): string | undefined {
  const type = context.getType<'http' | 'rpc' | 'ws'>();
  if (type !== 'ws') return bearerOf(carrierOf(context));
  const client = context.switchToWs().getClient<{ [WS_TOKEN]?: unknown; request?: unknown; handshake?: { auth?: { token?: unknown } } }>();
  const data = context.switchToWs().getData<{ token?: unknown } | undefined>();
  // socket.io: the handshake's headers keep one Authorization; its Node request keeps them all.
  const fromHandshake = client?.[WS_TOKEN] ?? client?.handshake?.auth?.token ?? bearerOf(client?.request ?? client?.handshake);
  const token = fromHandshake ?? (typeof data === 'object' && data !== null ? data.token : undefined);
  return typeof token === 'string' ? token : undefined;
}

export function setUser(context: ExecutionContext, user: AuthUser): void {
  carrierOf(context)[AUTH_USER] = user;
}

export function userOf(context: ExecutionContext): AuthUser | undefined {
  return carrierOf(context)[AUTH_USER] as AuthUser | undefined;
}
