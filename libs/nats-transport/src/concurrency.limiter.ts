/**
 * Runs at most `limit` tasks at once; the others wait their turn in arrival order, at most
 * `maxQueued` of them and `maxQueuedBytes` in all (the sizes their callers give): `full()`
 * says when one more would break a bound, for the caller to refuse it. A task is not started
 * (no promise chain, no handler pipeline) until a slot is free.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<{ run: () => void; bytes: number }> = [];
  private waitingBytes = 0;

  constructor(
    private readonly limit: number,
    private readonly maxQueued = Number.POSITIVE_INFINITY,
    private readonly maxQueuedBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** True when a task of `bytes` would have to wait and the queue has no room for it. */
  full(bytes: number): boolean {
    return this.active >= this.limit && (this.waiting.length >= this.maxQueued || this.waitingBytes + bytes > this.maxQueuedBytes);
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Settles as `task` does, once it had its turn; `bytes` counts toward `maxQueuedBytes` while it waits. */
  schedule<T>(task: () => Promise<T>, bytes = 0): Promise<T> {
    if (this.active < this.limit) return this.start(task);
    this.waitingBytes += bytes;
    return new Promise<T>((resolve, reject) => this.waiting.push({ run: () => void this.start(task).then(resolve, reject), bytes }));
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.active += 1;
    const release = () => {
      this.active -= 1;
      const next = this.waiting.shift();
      if (next === undefined) return;
      this.waitingBytes -= next.bytes;
      next.run();
    };
    let running: Promise<T>;
    try {
      running = task();
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(release, release);
    return running;
  }
}
