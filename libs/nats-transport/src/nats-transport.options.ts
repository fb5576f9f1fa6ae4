import { InvalidOptionsError } from '@cliffracer/common';
import { DEFAULT_NATS_URL } from './nats-transport.constants.js';
import { resolvePayloadLimits } from './nats-transport.limits.js';
import type {
  ConnectRetryOptions,
  NatsTransportModuleOptions,
  NormalizedNatsTransportOptions,
} from './interfaces/nats-transport-options.interface.js';
import { isSemver } from './discovery/service-version.js';
import { validateNatsSecurity } from './nats-security.js';
import { normalizeCallRetry, normalizeCircuitBreaker } from './resilience/resilience.options.js';
import { isValidPrefix, isValidSubject, isValidToken, normalizePrefix } from './subjects.js';

export const DEFAULT_NATS_TRANSPORT_OPTIONS = {
  servers: [DEFAULT_NATS_URL],
  subjectPrefix: '',
  requestTimeoutMs: 5000,
  shutdownGraceMs: 10000,
  maxConcurrentEvents: 64,
  maxQueuedEvents: 10_000,
  maxQueuedEventBytes: 64 * 1024 * 1024,
  maxConcurrentRequests: 256,
  maxQueuedRequests: 0,
  replyFlushBytes: 4096,
  maxReconnectAttempts: -1,
  reconnectTimeWaitMs: 250,
  connectRetry: { maxWaitMs: 60_000, initialDelayMs: 200, maxDelayMs: 5000 },
  deadLetterSubject: 'cliffracer.dead-letter',
  durableStream: 'CLIFFRACER_EVENTS',
  durableMaxAgeMs: 7 * 24 * 3600 * 1000,
  durableReplicas: 1,
  errors: [],
  connection: {},
  description: '',
  discovery: true,
} as const satisfies Omit<NormalizedNatsTransportOptions, 'service' | 'errors' | 'payloadLimits'> & { errors: [] };

const MODULE = 'NatsTransport';

/** Applies defaults and rejects options the transport cannot work with. */
export function normalizeNatsTransportOptions(
  options: NatsTransportModuleOptions,
): NormalizedNatsTransportOptions {
  if (!isValidToken(options.service)) {
    throw new InvalidOptionsError(MODULE, `service must be a subject token (letters, digits, _ or -), got ${JSON.stringify(options.service)}`);
  }
  const merged = { ...DEFAULT_NATS_TRANSPORT_OPTIONS, ...withoutUndefined(options) };
  const servers = Array.isArray(merged.servers) ? [...merged.servers] : [merged.servers];
  if (servers.length === 0) throw new InvalidOptionsError(MODULE, 'servers must name at least one server');
  if (!/^[A-Za-z0-9_-]+$/.test(merged.durableStream)) {
    throw new InvalidOptionsError(MODULE, `durableStream must be letters, digits, _ or -, got ${JSON.stringify(merged.durableStream)}`);
  }
  for (const key of ['requestTimeoutMs', 'shutdownGraceMs', 'maxConcurrentEvents', 'maxQueuedEvents', 'maxQueuedEventBytes', 'maxConcurrentRequests', 'reconnectTimeWaitMs', 'durableMaxAgeMs', 'replyFlushBytes'] as const) {
    assertPositiveInteger(key, merged[key]);
  }
  if (!isValidPrefix(merged.subjectPrefix)) {
    throw new InvalidOptionsError(MODULE, `subjectPrefix must be dot-separated tokens without wildcards, got ${JSON.stringify(merged.subjectPrefix)}`);
  }
  if (!isValidSubject(merged.deadLetterSubject)) {
    throw new InvalidOptionsError(MODULE, `deadLetterSubject must be a subject without wildcards, got ${JSON.stringify(merged.deadLetterSubject)}`);
  }
  if (!Number.isInteger(merged.durableReplicas) || merged.durableReplicas < 1 || merged.durableReplicas > 5) {
    throw new InvalidOptionsError(MODULE, `durableReplicas must be a whole number from 1 to 5, got ${merged.durableReplicas}`);
  }
  if (!Number.isInteger(merged.maxReconnectAttempts) || merged.maxReconnectAttempts < -1) {
    throw new InvalidOptionsError(MODULE, 'maxReconnectAttempts must be -1 or a whole number');
  }
  if (!Number.isInteger(merged.maxQueuedRequests) || merged.maxQueuedRequests < 0) {
    throw new InvalidOptionsError(MODULE, `maxQueuedRequests must be 0 or a positive whole number, got ${merged.maxQueuedRequests}`);
  }
  validateDiscovery(merged);
  validateNatsSecurity(options.auth, options.tls, merged.connection);
  return {
    ...merged,
    service: options.service,
    servers,
    connectRetry: normalizeConnectRetry(options.connectRetry),
    subjectPrefix: normalizePrefix(merged.subjectPrefix),
    errors: [...merged.errors],
    payloadLimits: resolvePayloadLimits(MODULE, options.payloadLimits),
    retry: options.retry === undefined ? undefined : normalizeCallRetry(MODULE, options.retry),
    circuitBreaker: options.circuitBreaker === undefined ? undefined : normalizeCircuitBreaker(MODULE, options.circuitBreaker),
  };
}

function normalizeConnectRetry(options: ConnectRetryOptions = {}): Required<ConnectRetryOptions> {
  const retry = { ...DEFAULT_NATS_TRANSPORT_OPTIONS.connectRetry, ...withoutUndefined(options) };
  if (!Number.isInteger(retry.maxWaitMs) || retry.maxWaitMs < 0) {
    throw new InvalidOptionsError(MODULE, `connectRetry.maxWaitMs must be 0 or a positive whole number of milliseconds, got ${retry.maxWaitMs}`);
  }
  assertPositiveInteger('connectRetry.initialDelayMs', retry.initialDelayMs);
  assertPositiveInteger('connectRetry.maxDelayMs', retry.maxDelayMs);
  if (retry.maxDelayMs < retry.initialDelayMs) {
    throw new InvalidOptionsError(MODULE, `connectRetry.maxDelayMs (${retry.maxDelayMs}) must not be less than connectRetry.initialDelayMs (${retry.initialDelayMs})`);
  }
  return retry;
}

/** ADR-32 holds the reported version to semver; the name rule is the service token rule above. */
function validateDiscovery({ version, description, discovery }: Pick<NatsTransportModuleOptions, 'version' | 'description' | 'discovery'>): void {
  if (version !== undefined && !isSemver(version)) {
    throw new InvalidOptionsError(MODULE, `version must be a semantic version such as 1.4.0 (NATS service discovery reports it), got ${JSON.stringify(version)}`);
  }
  if (typeof description !== 'string') throw new InvalidOptionsError(MODULE, `description must be a string, got ${typeof description}`);
  if (typeof discovery !== 'boolean') throw new InvalidOptionsError(MODULE, `discovery must be true or false, got ${JSON.stringify(discovery)}`);
}

function assertPositiveInteger(key: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new InvalidOptionsError(MODULE, `${key} must be a positive whole number of milliseconds, got ${value}`);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
