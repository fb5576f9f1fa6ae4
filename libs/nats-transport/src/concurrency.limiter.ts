/**
 * Runs at most `limit` tasks at once; the others wait their turn in arrival order. A task is
 * not started (no promise chain, no handler pipeline) until a slot is free.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Settles as `task` does, once it had its turn. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) return this.start(task);
    return new Promise<T>((resolve, reject) => this.waiting.push(() => void this.start(task).then(resolve, reject)));
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.active += 1;
    const release = () => {
      this.active -= 1;
      this.waiting.shift()?.();
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
