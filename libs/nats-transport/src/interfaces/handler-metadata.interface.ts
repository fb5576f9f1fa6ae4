import type { EVENT_HANDLER_KIND, RPC_HANDLER_KIND } from '../nats-transport.constants.js';

/** Options of `@Rpc`. */
export interface RpcOptions {
  /**
   * Longest the handler may run; past it the caller gets an `RpcTimeoutError`.
   * @default no limit on the handler (the caller's own timeout still applies)
   */
  timeoutMs?: number;
}

/** Options of `@Event`. */
export interface EventOptions {
  /**
   * Deliver every event to every instance of the service, instead of to one instance.
   * @default false
   */
  broadcast?: boolean;
}

/** What `@Rpc` records on a handler (Nest `extras`). */
export interface RpcMetadata {
  kind: typeof RPC_HANDLER_KIND;
  timeoutMs?: number;
}

/** What `@Event` records on a handler (Nest `extras`). */
export interface EventMetadata {
  kind: typeof EVENT_HANDLER_KIND;
  broadcast: boolean;
}
