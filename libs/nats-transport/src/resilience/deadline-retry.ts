import { handleWhen, type IBackoff, type IBackoffFactory, retry } from 'cockatiel';
import { retryChannel, type RetryReport } from '../nats-transport.diagnostics.js';
import { isRetryableFailure } from './call-failures.js';
import type { NormalizedCallRetry } from './resilience.options.js';

/** What a retried call is, for the reports of its retries. */
export interface RetriedCall {
  service: string;
  /** The client's own service. */
  caller: string;
  subject: string;
}

/**
 * Runs `attempt` up to `policy.attempts` times, all within `timeoutMs`: each attempt waits for
 * what is left of it (or `attemptTimeoutMs`, if shorter), and the waits between attempts (cockatiel's
 * exponential backoff with decorrelated jitter) are cut at the deadline. Only failures of the
 * exchange on this side are retried (`isRetryableFailure`). When the deadline comes during a
 * wait, the call fails then with the last attempt's error.
 */
export function retryWithinDeadline<T>(policy: NormalizedCallRetry, timeoutMs: number, call: RetriedCall, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  const left = () => deadline - performance.now();
  let last: unknown;
  const retries = retry(handleWhen((error) => isRetryableFailure(error) && left() >= 1), {
    maxAttempts: policy.attempts - 1,
    backoff: new WithinDeadline(policy.backoff, left),
  });
  if (retryChannel.hasSubscribers) retries.onRetry((event) => reportRetry(call, event.attempt, event.delay, 'error' in event ? event.error : undefined));
  return retries.execute(() => {
    const remaining = Math.floor(left());
    if (remaining < 1) throw last;
    const wait = policy.attemptTimeoutMs === undefined ? remaining : Math.min(policy.attemptTimeoutMs, remaining);
    return attempt(wait).catch((error: unknown) => {
      last = error;
      throw error;
    });
  });
}

/** A backoff whose waits end at the call's deadline at the latest. */
class WithinDeadline<C> implements IBackoff<C> {
  constructor(
    private readonly inner: IBackoffFactory<C>,
    private readonly left: () => number,
    readonly duration = 0,
  ) {}

  next(context: C): IBackoff<C> {
    const step = this.inner.next(context);
    return new WithinDeadline(step, this.left, Math.max(0, Math.min(step.duration, this.left())));
  }
}

function reportRetry({ service, caller, subject }: RetriedCall, attempt: number, delayMs: number, error?: Error): void {
  const report: RetryReport = { service: caller, target: service, subject, attempt: attempt + 1, delayMs, errorName: error?.name ?? 'Error' };
  retryChannel.publish(report);
}
