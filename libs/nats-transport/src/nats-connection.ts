import { types } from 'node:util';
import { Logger, type LoggerService } from '@nestjs/common';
import { connect, type NatsConnection, type NodeConnectionOptions, type Status } from '@nats-io/transport-node';
import { NatsUnreachableError } from './errors/nats-unreachable.error.js';
import { TransportError } from './errors/transport.error.js';
import { authMethod, securityConnectionOptions } from './nats-security.js';
import type { NormalizedNatsTransportOptions } from './interfaces/nats-transport-options.interface.js';
import { MESSAGES } from './nats-transport.messages.js';
import { statusChannel, type StatusReport } from './nats-transport.diagnostics.js';

/** States a transport reports on its `status` observable. */
export const NatsStatus = {
  CONNECTED: 'connected',
  DISCONNECTED: 'disconnected',
  RECONNECTING: 'reconnecting',
  CLOSED: 'closed',
} as const;
export type NatsStatus = (typeof NatsStatus)[keyof typeof NatsStatus];

// Socket errors that mean "nothing answers there yet", worth waiting for; nats.js reports
// a refused or timed-out connection as ConnectionError but passes DNS failures through raw
// (a NATS service name that does not resolve yet while a cluster starts).
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Opens a connection that keeps reconnecting as the options say (`connectionOptions`). A
 * server waits for NATS at start (`connectRetry`); a client fails at once, so a call while
 * NATS is down never hangs on the first connection.
 */
export function connectNats(options: NormalizedNatsTransportOptions, role: 'server' | 'client'): Promise<NatsConnection> {
  const open = () =>
    connect(connectionOptions(options, role)).catch((error: unknown) => {
      throw refusal(error, options) ?? error;
    });
  return role === 'server' ? connectWithRetry(open, options, new Logger('NatsServer')) : open();
}

/**
 * What nats.js is given for a server's or a client's connection. Async traces are off unless
 * `connection` turns them on: they build two Error objects (with stacks) per request, a
 * quarter of a caller's CPU, and the transport rebuilds its own typed errors naming the
 * subject anyway. A server's connection writes in pieces of `replyFlushBytes`; `connection`
 * overrides either, credentials and TLS come from `auth` and `tls` only.
 */
export function connectionOptions(options: NormalizedNatsTransportOptions, role: 'server' | 'client'): NodeConnectionOptions {
  return {
    servers: options.servers,
    name: `${options.service}-${role}`,
    maxReconnectAttempts: options.maxReconnectAttempts,
    reconnectTimeWait: options.reconnectTimeWaitMs,
    noAsyncTraces: true,
    ...(role === 'server' && replyFlushing(options.replyFlushBytes)),
    ...options.connection,
    ...securityConnectionOptions(options.auth, options.tls),
  };
}

// Node's codes for a server certificate the client cannot trust.
const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * A `TransportError` for a connection the server (or TLS) refused, naming the auth method and
 * the servers but no secret; `undefined` for anything else. Waiting cannot fix a refusal, so
 * `connectWithRetry` throws it at once instead of retrying.
 */
export function refusal(error: unknown, options: Pick<NormalizedNatsTransportOptions, 'servers' | 'auth' | 'tls'>): TransportError | undefined {
  if (!isError(error)) return undefined;
  const servers = options.servers.join(',');
  if (error.name === 'AuthorizationError' || error.name === 'UserAuthenticationExpiredError') {
    const method = options.auth === undefined ? 'no credentials' : `${authMethod(options.auth)} credentials`;
    return new TransportError(MESSAGES.credentialsRefused(servers, method, error.message), { cause: error });
  }
  const code = errorCode(error) ?? errorCode(error.cause);
  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    const ca = options.tls?.caFile !== undefined ? ` with CA ${options.tls.caFile}` : options.tls?.ca !== undefined ? ' with the given CA' : ' (no tls CA given)';
    return new TransportError(MESSAGES.serverCertificateUntrusted(servers, ca, code), { cause: error });
  }
  // A server that verifies clients drops one without a certificate after the TLS 1.3 handshake;
  // nats.js sees no error, only its connect timeout.
  if (error.name === 'TimeoutError' && options.tls !== undefined && options.tls.certFile === undefined && options.tls.cert === undefined) {
    return new TransportError(MESSAGES.tlsTimedOut(servers), { cause: error });
  }
  return undefined;
}

function errorCode(error: unknown): string | undefined {
  return isError(error) ? (error as NodeJS.ErrnoException).code : undefined;
}

// Node's own errors (a TLS failure) come from another realm under a test runner's VM: `instanceof` misses them.
function isError(error: unknown): error is Error {
  return error instanceof Error || types.isNativeError(error);
}

/**
 * Calls `open` until it connects, waiting `retryDelayMs` between attempts while NATS is
 * unreachable, and throws `NatsUnreachableError` once `connectRetry.maxWaitMs` has passed.
 * Any other failure (refused credentials, a bad option) is thrown at once: waiting cannot fix it.
 */
export async function connectWithRetry(
  open: () => Promise<NatsConnection>,
  options: Pick<NormalizedNatsTransportOptions, 'servers' | 'connectRetry'>,
  logger: LoggerService,
): Promise<NatsConnection> {
  const startedAt = Date.now();
  const servers = options.servers.join(',');
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await open();
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      const waitedMs = Date.now() - startedAt;
      const delayMs = Math.min(retryDelayMs(attempt, options.connectRetry), options.connectRetry.maxWaitMs - waitedMs);
      if (delayMs <= 0) throw new NatsUnreachableError(options.servers, attempt, waitedMs, { cause: error });
      logger.warn(`NATS not reachable at ${servers} (attempt ${attempt}), retrying in ${delayMs}ms`);
      // A timer that holds the process open: nothing else may while the service waits.
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** The wait after failed attempt `attempt` (from 1): `initialDelayMs`, doubling up to `maxDelayMs`. */
export function retryDelayMs(attempt: number, retry: { initialDelayMs: number; maxDelayMs: number }): number {
  return Math.min(retry.initialDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
}

function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'ConnectionError' || UNREACHABLE_CODES.has((error as NodeJS.ErrnoException).code ?? '');
}

/**
 * Logs connection changes and reports them to `report` until the connection closes.
 * Never rejects: a status loop must not take the service down.
 */
export async function watchConnection(
  nc: NatsConnection,
  logger: LoggerService,
  report: (status: NatsStatus, detail?: Status) => void,
  source: { options: NormalizedNatsTransportOptions; role: 'server' | 'client' },
): Promise<void> {
  const { options, role } = source;
  try {
    for await (const status of nc.status()) {
      switch (status.type) {
        case 'disconnect':
          logger.warn?.(`nats disconnected from ${status.server}`);
          report(NatsStatus.DISCONNECTED, status);
          publishStatus(options, role, NatsStatus.DISCONNECTED, status.server);
          break;
        case 'reconnecting':
          report(NatsStatus.RECONNECTING, status);
          break;
        case 'reconnect':
          logger.log(`nats reconnected to ${status.server}`);
          report(NatsStatus.CONNECTED, status);
          publishStatus(options, role, NatsStatus.CONNECTED, status.server);
          break;
        case 'error':
          logger.error(permissionLine(status.error) ?? `nats connection error: ${status.error.message}`);
          break;
        default:
          break;
      }
    }
  } catch (error) {
    logger.error(`nats status loop stopped: ${(error as Error).message}`);
  }
  report(NatsStatus.CLOSED);
}

// The server reports a denied publish or subscribe only here, after the fact: one line naming it.
function permissionLine(error: Error): string | undefined {
  if (error.name !== 'PermissionViolationError') return undefined;
  const { operation, subject } = error as Error & { operation: string; subject: string };
  return MESSAGES.permissionDenied(operation, subject);
}

function publishStatus(options: NormalizedNatsTransportOptions, role: 'server' | 'client', status: NatsStatus, server?: string): void {
  if (!statusChannel.hasSubscribers) return;
  const report: StatusReport = { service: options.service, role, status, ...(server && { server }) };
  statusChannel.publish(report);
}

/**
 * Drains the connection (flushes pending replies, then closes); if that takes longer than
 * `timeoutMs` (the server is gone, say) the connection is closed without draining.
 */
export async function closeConnection(nc: NatsConnection, timeoutMs: number): Promise<void> {
  if (nc.isClosed()) return;
  const drained = await settlesWithin(nc.isDraining() ? nc.closed() : nc.drain(), timeoutMs);
  if (!drained && !nc.isClosed()) await nc.close();
}

/** Resolves `true` if `work` settles within `timeoutMs`, `false` otherwise; never rejects. */
export async function settlesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([work.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * nats.js's own setting for the bytes it gathers before writing (`pendingLimit`, read from the
 * connection options though its types leave it out; 32 KiB by default). A nats.js that no
 * longer reads it writes as before: an e2e test watches the size of the server's writes.
 */
function replyFlushing(bytes: number): Partial<NodeConnectionOptions> {
  return { pendingLimit: bytes } as Partial<NodeConnectionOptions>;
}
