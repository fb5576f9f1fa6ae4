import { isThenable, type MaybePromise } from './maybe-promise.js';

/**
 * Runs at most `limit` tasks at once; the others wait their turn in arrival order, at most
 * `maxQueued` of them and `maxQueuedBytes` in all (the sizes their callers give): `full()`
 * says when one more would break a bound, for the caller to refuse it. A task is not started
 * (no promise chain, no handler pipeline) until a slot is free, and then in the context
 * `capture` took when it was scheduled (not that of the task whose end freed the slot).
 */
export class ConcurrencyLimiter {
  private active = 0;
  // A queue read from `head`: `shift()` on a long array moves every element each time.
  private waiting: Array<{ run: () => void; bytes: number }> = [];
  private head = 0;
  private waitingBytes = 0;

  constructor(
    private readonly limit: number,
    private readonly maxQueued = Number.POSITIVE_INFINITY,
    private readonly maxQueuedBytes = Number.POSITIVE_INFINITY,
    /** Captures the scheduling context, for a queued task to start in. */
    private readonly capture: () => <R>(fn: () => R) => R = () => (fn) => fn(),
  ) {}

  /** True when a task of `bytes` would have to wait and the queue has no room for it. */
  full(bytes: number): boolean {
    return this.active >= this.limit && (this.queued >= this.maxQueued || this.waitingBytes + bytes > this.maxQueuedBytes);
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /**
   * Settles as `task` does, once it had its turn; `bytes` counts toward `maxQueuedBytes` while it
   * waits. A task that runs at once and returns a plain result gives it back without a promise.
   */
  schedule<T>(task: () => MaybePromise<T>, bytes = 0): MaybePromise<T> {
    if (this.active < this.limit) return this.start(task);
    this.waitingBytes += bytes;
    const inContext = this.capture();
    return new Promise<T>((resolve, reject) => {
      const run = () => {
        const out = inContext(() => this.start(task));
        if (isThenable(out)) out.then(resolve, reject);
        else resolve(out);
      };
      this.waiting.push({ run, bytes });
    });
  }

  private next(): { run: () => void; bytes: number } | undefined {
    if (this.head === this.waiting.length) return undefined;
    const next = this.waiting[this.head]!;
    this.head += 1;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return next;
  }

  private readonly release = (): void => {
    this.active -= 1;
    this.startWaiting();
  };

  // A loop, not a chain of releases: tasks that finish at once would otherwise nest one call per queued task.
  private startWaiting(): void {
    while (this.active < this.limit) {
      const next = this.next();
      if (next === undefined) return;
      this.waitingBytes -= next.bytes;
      next.run();
    }
  }

  private start<T>(task: () => MaybePromise<T>): MaybePromise<T> {
    this.active += 1;
    let running: MaybePromise<T>;
    try {
      running = task();
    } catch (error) {
      running = Promise.reject(error);
    }
    if (isThenable(running)) {
      running.then(this.release, this.release);
      return running;
    }
    this.active -= 1;
    return running;
  }
}
