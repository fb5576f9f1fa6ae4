import { NoRespondersError } from '../errors/no-responders.error.js';
import { OverloadedError } from '../errors/overloaded.error.js';
import { RpcTimeoutError } from '../errors/rpc-timeout.error.js';
import { TransportError } from '../errors/transport.error.js';
import { isRemoteReply } from '../wire/error-rebuilder.js';

/**
 * A failure of the exchange on this side (nothing answered, no reply in time, the connection
 * failed the request): an idempotent call may succeed when tried again. Errors that came in a
 * reply never are: the handler answered, and a `NoRespondersError` it passed on from its own
 * call is its business.
 */
export function isRetryableFailure(error: unknown): boolean {
  if (isRemoteReply(error)) return false;
  return error instanceof NoRespondersError || error instanceof RpcTimeoutError || error instanceof TransportError;
}

/**
 * A failure that says the target service is unwell, counted by its circuit breaker: no
 * instance answering, none answering in time, or one refusing with `OVERLOADED` (a reply, but
 * about its capacity, not the request). A `TransportError` is not: it is this process's NATS
 * connection failing, and would open the circuit to every service at once during a reconnect.
 */
export function isTargetFailure(error: unknown): boolean {
  if (error instanceof OverloadedError) return true;
  if (isRemoteReply(error)) return false;
  return error instanceof NoRespondersError || error instanceof RpcTimeoutError;
}
