/**
 * Requests waiting for their reply. When the connection drops, a reply in flight is lost (the
 * reply subject is re-subscribed only after the reconnect), so every waiting request fails at
 * once with `lost()` instead of hanging until its timeout.
 */
export class PendingReplies {
  private readonly waiting = new Set<() => void>();

  /** Settles as `request` does, or rejects with `lost()` if the connection drops first. */
  wait<T>(request: Promise<T>, lost: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const abandon = () => reject(lost());
      this.waiting.add(abandon);
      request.then(
        (value) => {
          this.waiting.delete(abandon);
          resolve(value);
        },
        (error: unknown) => {
          this.waiting.delete(abandon);
          reject(error);
        },
      );
    });
  }

  /** Fails every request waiting now. */
  abandonAll(): void {
    const all = [...this.waiting];
    this.waiting.clear();
    for (const abandon of all) abandon();
  }

  get size(): number {
    return this.waiting.size;
  }
}
