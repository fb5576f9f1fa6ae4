import { AsyncLocalStorage } from 'node:async_hooks';
import { generateCorrelationId } from './correlation-id.js';

/** What is known about the request being handled, for everything it calls or logs. */
export interface CorrelationStore {
  readonly correlationId: string;
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

  /** The current correlation ID, or `undefined` outside any request. */
  currentId(): string | undefined {
    return storage.getStore()?.correlationId;
  },

  /** The current correlation ID, or a new one when called outside any request (an edge). */
  currentOrNewId(): string {
    return storage.getStore()?.correlationId ?? generateCorrelationId();
  },
} as const;
