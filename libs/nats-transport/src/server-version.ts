import type { LoggerService } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * The oldest nats-server the transport is tested against: headers, JetStream pull consumers
 * with heartbeats (`consume()` of nats.js v3) and the durable stream's settings need 2.9.
 */
export const MIN_NATS_SERVER_VERSION = '2.9.0';

/** True when `version` (`2.9.10`, `v2.10.0-beta.1`) is older than `minimum`. */
export function isOlderVersion(version: string, minimum: string = MIN_NATS_SERVER_VERSION): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split(/[.-]/).slice(0, 3).map((p) => Number.parseInt(p, 10) || 0);
  const [a, b] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** Warns once, at connect, when the server is older than the transport supports. */
export function warnIfServerTooOld(nc: NatsConnection, logger: LoggerService): void {
  const version = nc.info?.version;
  if (version !== undefined && isOlderVersion(version)) {
    logger.warn(`nats-server ${version} is older than ${MIN_NATS_SERVER_VERSION}, the oldest this transport supports: headers and durable events may fail`);
  }
}
