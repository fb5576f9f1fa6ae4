import type { ExecutionContext } from '@nestjs/common';
import { AUTH_USER, AUTHORIZATION_HEADER, WS_TOKEN } from './auth.constants.js';
import type { AuthUser } from './interfaces/auth-user.interface.js';

type Carrier = Record<PropertyKey, unknown>;

/** A header value from an HTTP request (`{ headers }`) or a NATS context (`getHeaders()`). */
function header(source: unknown, name: string): string | undefined {
  const s = source as { headers?: Record<string, unknown>; getHeaders?: () => { get(n: string): string } | undefined } | undefined;
  const nats = s?.getHeaders?.()?.get(name);
  if (nats) return nats;
  const value = s?.headers?.[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** The token of an `Authorization: Bearer <token>` value. */
export function bearer(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^Bearer[ ]+(\S+)$/i.exec(value.trim());
  return match?.[1];
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
 * handshake's `auth.token` or `Authorization` header, or the message's `token`.
 */
export function tokenOf(context: ExecutionContext): string | undefined {
  const type = context.getType<'http' | 'rpc' | 'ws'>();
  if (type !== 'ws') return bearer(header(carrierOf(context), AUTHORIZATION_HEADER));
  const client = context.switchToWs().getClient<{ [WS_TOKEN]?: unknown; handshake?: { auth?: { token?: unknown }; headers?: Record<string, unknown> } }>();
  const data = context.switchToWs().getData<{ token?: unknown } | undefined>();
  const fromHandshake = client?.[WS_TOKEN] ?? client?.handshake?.auth?.token ?? bearer(header(client?.handshake, AUTHORIZATION_HEADER));
  const token = fromHandshake ?? (typeof data === 'object' && data !== null ? data.token : undefined);
  return typeof token === 'string' ? token : undefined;
}

export function setUser(context: ExecutionContext, user: AuthUser): void {
  carrierOf(context)[AUTH_USER] = user;
}

export function userOf(context: ExecutionContext): AuthUser | undefined {
  return carrierOf(context)[AUTH_USER] as AuthUser | undefined;
}
