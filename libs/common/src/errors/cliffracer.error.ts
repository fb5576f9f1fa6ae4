import type { Json } from '../json.type.js';

/** Options every Cliffracer error accepts: a machine-readable code, extra data, a cause. */
export interface CliffracerErrorOptions extends ErrorOptions {
  /** Stable, machine-readable code (`ORDER_NOT_FOUND`); travels with the error over NATS. */
  code?: string;
  /** Extra details for the caller; must be JSON. */
  data?: Json;
}

/**
 * Base of every error the framework raises, and of the errors services define.
 * `name`, `message`, `code` and `data` travel to the caller of an RPC and are rebuilt there.
 *
 * @example
 * class OrderNotFoundError extends CliffracerError {
 *   override readonly name = 'OrderNotFoundError';
 *   constructor(id: string) { super(`order not found: ${id}`, { code: 'ORDER_NOT_FOUND', data: { id } }); }
 * }
 */
export class CliffracerError extends Error {
  override readonly name: string = 'CliffracerError';
  readonly code: string;
  readonly data?: Json;

  constructor(message: string, options: CliffracerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'CLIFFRACER_ERROR';
    this.data = options.data;
  }
}
