import type { NatsConnection } from '@nats-io/transport-node';
import { benchSubjects } from '../bench.config.js';

/** What a server answers to a probe: the CPU time it has used (µs), the events it handled, its resident memory. */
export interface ServerProbe {
  cpuUs: number;
  handled: number;
  rssBytes: number;
}

/**
 * Tells the bench runner this server listens, answers its probes on `nc` and closes the
 * server on SIGTERM.
 */
export function reportReady(nc: NatsConnection, handled: () => number, close: () => Promise<unknown>): void {
  nc.subscribe(benchSubjects(process.env.BENCH_PREFIX!).probe, {
    callback: (_error, msg) => {
      const { user, system } = process.cpuUsage();
      const probe: ServerProbe = { cpuUs: user + system, handled: handled(), rssBytes: process.memoryUsage.rss() };
      msg.respond(JSON.stringify(probe));
    },
  });
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
}

/** Counts handled events and announces each full batch on the `done` subject. */
export class EventCounter {
  private received = 0;

  get count(): number {
    return this.received;
  }

  constructor(
    private readonly batch: number,
    private readonly announce: (count: number) => void,
  ) {}

  add(): void {
    this.received += 1;
    if (this.received % this.batch === 0) this.announce(this.received);
  }
}
