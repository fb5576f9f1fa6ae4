/**
 * Marks an interceptor that hands RPC messages on untouched (`intercept` returns
 * `next.handle()` for any context but its own, as `HttpErrorsInterceptor` does for HTTP):
 * compiled handler pipelines leave it out instead of falling back to Nest's.
 */
export const RPC_TRANSPARENT: unique symbol = Symbol.for('cliffracer.rpc-transparent');
