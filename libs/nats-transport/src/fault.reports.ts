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
 * subscriber first, so a service nobody observes builds no report. Reports name the handler's
 * pattern (`route.name`): the subject under a wildcard is whatever a publisher chose.
 */
export class FaultReports {
  constructor(private readonly service: string) {}

  refused(route: NatsRoute, code: string): void {
    if (!refusedChannel.hasSubscribers) return;
    refusedChannel.publish({ service: this.service, kind: route.kind, route: route.name, code } satisfies RefusedReport);
  }

  deadLettered(route: NatsRoute, code: string): void {
    if (!deadLetterChannel.hasSubscribers) return;
    deadLetterChannel.publish({ service: this.service, route: route.name, durable: route.durable !== undefined, code } satisfies DeadLetterReport);
  }

  redelivering(route: NatsRoute, code: string, delivery: number, delayMs: number): void {
    if (!redeliveryChannel.hasSubscribers) return;
    redeliveryChannel.publish({ service: this.service, route: route.name, code, delivery, delayMs } satisfies RedeliveryReport);
  }
}
