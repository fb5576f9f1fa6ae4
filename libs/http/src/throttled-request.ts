import type { ExecutionContext } from '@nestjs/common';

/** NATS message headers (`MsgHdrs`), as far as reading them goes. */
interface NatsHeaders {
  keys(): string[];
  values(key: string): string[];
}

/**
 * What the throttler's trackers read of a call, alike over HTTP and NATS: a fastify request
 * has this shape; a NATS call is given it by `rpcRequestOf`.
 */
export interface ThrottledRequest {
  /** The client address the HTTP door vouches for (fastify's `request.ip`, through `trustProxy`); none over NATS. */
  ip?: string;
  /** Header values by lower-case name; one sent twice over NATS is its values joined with `, `. */
  headers: Record<string, string | string[] | undefined>;
  /** The body of the request, or the payload of the NATS message: not yet validated. */
  body?: unknown;
}

/** The NATS message being handled, as a `ThrottledRequest`: its headers and its payload. */
export function rpcRequestOf(context: ExecutionContext): ThrottledRequest {
  const rpc = context.switchToRpc();
  const nats = rpc.getContext<{ getHeaders?: () => NatsHeaders | undefined } | undefined>();
  const source = typeof nats?.getHeaders === 'function' ? nats.getHeaders() : undefined;
  const headers: Record<string, string> = {};
  // NATS header names are case-sensitive; gathered as HTTP reads them, so no casing slips past.
  for (const key of source?.keys() ?? []) {
    const name = key.toLowerCase();
    const values = source!.values(key).join(', ');
    headers[name] = headers[name] === undefined ? values : `${headers[name]}, ${values}`;
  }
  return { headers, body: rpc.getData<unknown>() };
}
