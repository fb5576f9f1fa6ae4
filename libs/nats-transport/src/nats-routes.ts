import type { MessageHandler } from '@nestjs/microservices';
import { InvalidOptionsError } from '@cliffracer/common';
import { EndpointStats } from './discovery/endpoint-stats.js';
import { getEventMetadata, getRpcMetadata } from './handler-metadata.accessor.js';
import type { DurableSpec, HandlerConcurrency } from './interfaces/handler-metadata.interface.js';
import type { NormalizedNatsTransportOptions } from './interfaces/nats-transport-options.interface.js';
import { type PayloadLimits, type ResolvedPayloadLimits, resolvePayloadLimits } from './nats-transport.limits.js';
import { MESSAGES } from './nats-transport.messages.js';
import type { RequestBulkhead } from './request-bulkhead.js';
import { isValidSubject, isValidSubjectPattern, rpcSubject } from './subjects.js';

/** One subscription of the server: where it listens and which handler answers. */
export interface NatsRoute {
  kind: 'rpc' | 'event';
  subject: string;
  /** `subject` without the service's subject prefix, as reports name the route. */
  name: string;
  /** True when every message of the route comes on `subject`: a core subscription without wildcards. */
  exact: boolean;
  queue?: string;
  handler: MessageHandler;
  /** What runs a message: Nest's handler, or its pipeline compiled at boot (set by the server). */
  invoke: MessageHandler;
  timeoutMs?: number;
  /** Set for an event consumed through a JetStream durable consumer instead of a subscription. */
  durable?: DurableSpec;
  /** Bounds checked on each body before it is parsed. */
  limits: ResolvedPayloadLimits;
  /** An RPC handler's own bulkhead (`@Rpc({ maxConcurrent, maxQueued })`). */
  concurrency?: HandlerConcurrency;
  /** The bulkhead its requests go through: the handler's own or the service's; set by the server. */
  bulkhead?: RequestBulkhead;
  /** Request counters of an RPC route, reported by service discovery; none while discovery is off. */
  stats?: EndpointStats;
}

/**
 * Maps registered Nest handlers to subscriptions. `@Rpc` answers on `<service>.<name>`,
 * a plain `@MessagePattern` or `@EventPattern` string on that subject; everything is
 * under the subject prefix. Events go to one instance per service and pattern unless broadcast.
 */
export function buildRoutes(handlers: Map<string, MessageHandler>, options: NormalizedNatsTransportOptions): NatsRoute[] {
  const { subjectPrefix: prefix, service, payloadLimits } = options;
  const limitsOf = (own?: Partial<PayloadLimits>) => (own === undefined ? payloadLimits : resolvePayloadLimits('NatsServer', own, payloadLimits));
  return [...handlers].map(([pattern, handler]) => {
    if (handler.isEventHandler) {
      const metadata = getEventMetadata(handler);
      const subject = checked(`${prefix}${pattern}`);
      // A durable consumer's filter is set by whichever instance started it last (a rolling
      // deploy may still run the old one): its messages' subjects are read from the messages.
      const exact = isValidSubject(subject) && metadata?.durable === undefined;
      const limits = limitsOf(metadata?.limits);
      if (metadata?.durable) return { kind: 'event', subject, name: subject.slice(prefix.length), exact, handler, invoke: handler, durable: metadata.durable, limits };
      const queue = metadata?.broadcast ? undefined : eventQueue(service, pattern);
      return { kind: 'event', subject, name: subject.slice(prefix.length), exact, queue, handler, invoke: handler, limits };
    }
    const rpc = getRpcMetadata(handler);
    const subject = rpc ? rpcSubject(prefix, service, pattern) : `${prefix}${pattern}`;
    if (!isValidSubject(subject)) throw new InvalidOptionsError('NatsServer', MESSAGES.invalidSubject(subject));
    const concurrency = rpc?.concurrency;
    const stats = options.discovery ? new EndpointStats() : undefined;
    return { kind: 'rpc', subject, name: subject.slice(prefix.length), exact: true, queue: service, handler, invoke: handler, timeoutMs: rpc?.timeoutMs, limits: limitsOf(rpc?.limits), stats, ...(concurrency && { concurrency }) };
  });
}

/**
 * The subject a message of `route` came on: the route's own when it has no wildcard, which
 * spares decoding it from the message's bytes (nats.js does on the first read of `subject`).
 */
export function subjectOf(route: NatsRoute, msg: { readonly subject: string }): string {
  return route.exact ? route.subject : msg.subject;
}

/**
 * NATS balances one queue group across every subscription that matches a message, so two
 * overlapping patterns of one service (`orders.*`, `orders.>`) in one group would split
 * events between them. Each event pattern gets its own group, shared by the service's instances.
 */
export function eventQueue(service: string, pattern: string): string {
  return `${service}.${pattern.replaceAll('*', 'STAR').replaceAll('>', 'ALL')}`;
}

function checked(subject: string): string {
  if (!isValidSubjectPattern(subject)) throw new InvalidOptionsError('NatsServer', MESSAGES.invalidSubject(subject));
  return subject;
}
