import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { isThenable, type MaybePromise } from './maybe-promise.js';

/**
 * Runs a handler (Nest's wrapper or a compiled pipeline: guards, pipes, interceptors, filters
 * included) for its single result. A plain result comes back at once, without a promise; an
 * asynchronous one (a promise, an Observable: its last value) or a failure is a promise.
 */
export function invokeNow(handler: MessageHandler, payload: unknown, context: unknown): MaybePromise<unknown> {
  let out: unknown;
  try {
    out = handler(payload, context);
  } catch (error) {
    return Promise.reject(error);
  }
  if (isThenable(out)) return out.then(singleResult);
  if (isObservable(out)) return lastValueFrom(out, { defaultValue: undefined });
  return out;
}

function singleResult(out: unknown): unknown {
  return isObservable(out) ? lastValueFrom(out, { defaultValue: undefined }) : out;
}

/** Rejects with `onTimeout()` when `work` has not settled within `timeoutMs`. */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
