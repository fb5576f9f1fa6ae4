import { durableConsumerName } from '../durable/durable-options.js';
import type { NormalizedNatsTransportOptions } from '../interfaces/nats-transport-options.interface.js';
import type { NatsRoute } from '../nats-routes.js';
import type { EndpointStats } from './endpoint-stats.js';
import type { EndpointInfo } from './micro-documents.js';

/** An endpoint as discovery lists it, with the counters its route keeps. */
export interface DiscoveredEndpoint {
  info: EndpointInfo;
  stats: EndpointStats;
}

type Naming = Pick<NormalizedNatsTransportOptions, 'service' | 'subjectPrefix'>;

/**
 * The RPC routes as ADR-32 endpoints: named after the method (`orders.get` → `get`; another
 * pattern's dots become `_`, as endpoint names are one token), with the handler's `@Rpc`
 * timeout as `timeout_ms` metadata when it has one.
 */
export function describeEndpoints(routes: NatsRoute[], naming: Naming): DiscoveredEndpoint[] {
  return routes.flatMap((route) => (route.stats === undefined ? [] : [{ info: endpointInfo(route, naming), stats: route.stats }]));
}

/**
 * What discovery says of the service beyond its endpoints: the subject prefix it runs under
 * (instances of one name in two environments answer the same `$SRV` subjects), and the
 * events it consumes. Events are not endpoints: nothing replies to them, and a durable one
 * is a JetStream consumer, not a subscription; but whoever looks at a service wants to see
 * what it reacts to.
 */
export function serviceMetadata(routes: NatsRoute[], naming: Naming): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (naming.subjectPrefix !== '') metadata.subject_prefix = naming.subjectPrefix.slice(0, -1);
  const events = routes.filter((route) => route.kind === 'event').map((route) => eventLabel(route, naming.service));
  if (events.length > 0) metadata.events = events.join(', ');
  return metadata;
}

function endpointInfo(route: NatsRoute, { service }: Naming): EndpointInfo {
  const pattern = route.name;
  const method = pattern.startsWith(`${service}.`) ? pattern.slice(service.length + 1) : pattern;
  return {
    name: method.replace(/[^A-Za-z0-9_-]/g, '_'),
    subject: route.subject,
    queue_group: route.queue ?? '',
    metadata: route.timeoutMs === undefined ? {} : { timeout_ms: String(route.timeoutMs) },
  };
}

function eventLabel(route: NatsRoute, service: string): string {
  if (route.durable !== undefined) return `${route.subject} (durable ${durableConsumerName(service, route.durable)})`;
  return route.queue === undefined ? `${route.subject} (broadcast)` : route.subject;
}
