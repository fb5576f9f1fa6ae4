/** Tells the bench runner this server listens, and closes it on SIGTERM. */
export function reportReady(close: () => Promise<unknown>): void {
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
}

/** Counts handled events and announces each full batch on the `done` subject. */
export class EventCounter {
  private received = 0;

  constructor(
    private readonly batch: number,
    private readonly announce: (count: number) => void,
  ) {}

  add(): void {
    this.received += 1;
    if (this.received % this.batch === 0) this.announce(this.received);
  }
}
