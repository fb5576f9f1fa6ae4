import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';

/**
 * Runs a Nest-wrapped handler (guards, pipes, interceptors, filters included) and
 * resolves its single result; an error from the pipeline rejects.
 */
// Written with one `then` rather than `async`/`await`: with the correlation context's async
// hooks on, every promise costs a hook call, and this runs for every message.
export function invokeHandler(handler: MessageHandler, payload: unknown, context: unknown): Promise<unknown> {
  try {
    return Promise.resolve(handler(payload, context)).then(singleResult);
  } catch (error) {
    return Promise.reject(error);
  }
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
