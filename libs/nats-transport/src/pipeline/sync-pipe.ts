import type { ArgumentMetadata } from '@nestjs/common';

/** What `transformSync` returns when only the pipe's `transform` can give the result. */
export const NEEDS_ASYNC: unique symbol = Symbol('needs-async');

/**
 * A pipe that can often finish a value without a promise: compiled handler pipelines call
 * `transformSync` first, and `transform` only when it returns `NEEDS_ASYNC`.
 */
export interface SyncPipe {
  transformSync(value: unknown, metadata: ArgumentMetadata): unknown;
}

/**
 * Marks an interceptor that hands RPC messages on untouched (`intercept` returns
 * `next.handle()` for any context but its own, as `HttpErrorsInterceptor` does for HTTP):
 * compiled handler pipelines leave it out instead of falling back to Nest's.
 */
export const RPC_TRANSPARENT: unique symbol = Symbol.for('cliffracer.rpc-transparent');
