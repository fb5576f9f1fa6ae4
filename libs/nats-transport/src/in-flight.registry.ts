/** A handler that is running now. */
export interface InFlightHandler {
  readonly subject: string;
  readonly correlationId: string;
  readonly startedAt: number;
}

/**
 * The handlers running now, so shutdown can wait for them and operators can list them.
 */
export class InFlightRegistry {
  private readonly running = new Set<InFlightHandler>();
  private idleWaiters: Array<() => void> = [];

  begin(subject: string, correlationId: string): InFlightHandler {
    const entry = { subject, correlationId, startedAt: Date.now() };
    this.running.add(entry);
    return entry;
  }

  end(entry: InFlightHandler): void {
    this.running.delete(entry);
    if (this.running.size === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  get size(): number {
    return this.running.size;
  }

  list(): InFlightHandler[] {
    return [...this.running];
  }

  /** Resolves `true` once nothing runs, or `false` when `timeoutMs` passes first. */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
