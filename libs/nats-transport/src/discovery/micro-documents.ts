import type { EndpointFigures } from './endpoint-stats.js';

/** The `type` of each discovery reply (ADR-32). */
export const MicroResponseType = {
  PING: 'io.nats.micro.v1.ping_response',
  INFO: 'io.nats.micro.v1.info_response',
  STATS: 'io.nats.micro.v1.stats_response',
} as const;

/** Who answers: the same in every reply of one instance. */
export interface ServiceIdentity {
  name: string;
  id: string;
  version: string;
  metadata: Record<string, string>;
}

/** One endpoint as `$SRV.INFO` lists it. */
export interface EndpointInfo {
  name: string;
  subject: string;
  queue_group: string;
  metadata: Record<string, string>;
}

/** The `$SRV.PING` reply. */
export function pingDocument(identity: ServiceIdentity): string {
  return JSON.stringify({ type: MicroResponseType.PING, ...identity });
}

/** The `$SRV.INFO` reply. */
export function infoDocument(identity: ServiceIdentity, description: string, endpoints: EndpointInfo[]): string {
  return JSON.stringify({ type: MicroResponseType.INFO, ...identity, description, endpoints });
}

/** The `$SRV.STATS` reply; `started` is an RFC 3339 time. */
export function statsDocument(identity: ServiceIdentity, started: string, endpoints: Array<{ info: EndpointInfo; figures: EndpointFigures }>): string {
  return JSON.stringify({
    type: MicroResponseType.STATS,
    ...identity,
    started,
    endpoints: endpoints.map(({ info: { name, subject, queue_group }, figures }) => ({ name, subject, queue_group, ...figures })),
  });
}
