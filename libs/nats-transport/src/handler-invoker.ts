import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';

/**
 * Runs a Nest-wrapped handler (guards, pipes, interceptors, filters included) and
 * resolves its single result; an error from the pipeline rejects.
 */
export async function invokeHandler(handler: MessageHandler, payload: unknown, context: unknown): Promise<unknown> {
  const out: unknown = await handler(payload, context);
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
