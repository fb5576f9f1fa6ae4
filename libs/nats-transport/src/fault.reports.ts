import type { NatsRoute } from './nats-routes.js';
import {
  deadLetterChannel,
  type DeadLetterReport,
  redeliveryChannel,
  type RedeliveryReport,
  refusedChannel,
  type RefusedReport,
} from './nats-transport.diagnostics.js';

/**
 * Publishes what went wrong with a message on the diagnostics channels. Each checks for a
 * subscriber first, so a service nobody observes builds no report.
 */
export class FaultReports {
  constructor(
    private readonly service: string,
    private readonly subjectPrefix: string,
  ) {}

  refused(route: NatsRoute, code: string): void {
    if (!refusedChannel.hasSubscribers) return;
    refusedChannel.publish({ service: this.service, kind: route.kind, route: this.pattern(route), code } satisfies RefusedReport);
  }

  deadLettered(route: NatsRoute, code: string): void {
    if (!deadLetterChannel.hasSubscribers) return;
    deadLetterChannel.publish({ service: this.service, route: this.pattern(route), durable: route.durable !== undefined, code } satisfies DeadLetterReport);
  }

  redelivering(route: NatsRoute, code: string, delivery: number, delayMs: number): void {
    if (!redeliveryChannel.hasSubscribers) return;
    redeliveryChannel.publish({ service: this.service, route: this.pattern(route), code, delivery, delayMs } satisfies RedeliveryReport);
  }

  // Reports name the handler's pattern: the subject under a wildcard is whatever a publisher chose.
  private pattern(route: NatsRoute): string {
    return route.subject.slice(this.subjectPrefix.length);
  }
}
