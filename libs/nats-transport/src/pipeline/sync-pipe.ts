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
