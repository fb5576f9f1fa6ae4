import { AsyncLocalStorage } from 'node:async_hooks';
import { generateCorrelationId } from './correlation-id.js';

/** What is known about the request being handled, for everything it calls or logs. */
export interface CorrelationStore {
  readonly correlationId: string;
  /** Headers every outgoing call and event of this request carries (the caller's token, say). */
  forwarded?: Map<string, string>;
}

// One storage per process: every lib (transport, timers, HTTP, logger) reads the same context.
const storage = new AsyncLocalStorage<CorrelationStore>();

/**
 * The correlation context of the current request, carried across `await`s.
 * Transports open it at the edge; code inside a handler reads it.
 */
export const CorrelationContext = {
  /** Runs `fn` with `correlationId` as the current ID. */
  run<T>(correlationId: string, fn: () => T): T {
    return storage.run({ correlationId }, fn);
  },

  /**
   * A function that runs `fn` in the current request's context wherever it is called later,
   * for work that waits its turn (a queued message): a fraction of what
   * `AsyncLocalStorage.snapshot()` costs, which makes an async resource per call.
   */
  capture(): <T>(fn: () => T) => T {
    const store = storage.getStore();
    return store === undefined ? (fn) => storage.exit(fn) : (fn) => storage.run(store, fn);
  },

  /** The current correlation ID, or `undefined` outside any request. */
  currentId(): string | undefined {
    return storage.getStore()?.correlationId;
  },

  /**
   * Makes every outgoing call and event of the current request carry header `name`, as the
   * auth guard does with the caller's token so a chain of calls keeps the user. Outside a
   * request it does nothing and returns false.
   */
  forward(name: string, value: string): boolean {
    const store = storage.getStore();
    if (store === undefined) return false;
    (store.forwarded ??= new Map()).set(name, value);
    return true;
  },

  /** The headers `forward` set for the current request (none outside one). */
  forwardedHeaders(): ReadonlyMap<string, string> | undefined {
    return storage.getStore()?.forwarded;
  },

  /** The current correlation ID, or a new one when called outside any request (an edge). */
  currentOrNewId(): string {
    return storage.getStore()?.correlationId ?? generateCorrelationId();
  },
} as const;
