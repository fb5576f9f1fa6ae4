import type { NodeConnectionOptions } from '@nats-io/transport-node';
import type { PayloadLimits, ResolvedPayloadLimits } from '../nats-transport.limits.js';
import type { NormalizedCallRetry } from '../resilience/resilience.options.js';
import type { ErrorClass } from './error-class.interface.js';
import type { CallRetryOptions, CircuitBreakerOptions } from './resilience-options.interface.js';

/** Options of the NATS transport, shared by `NatsServer`, `NatsClient` and `NatsTransportModule`. */
export interface NatsTransportModuleOptions {
  /**
   * Name of this service. RPC handlers answer on `<service>.<method>`, and the service
   * name is the queue group, so instances of one service share the load.
   */
  service: string;
  /**
   * Version this service reports to NATS service discovery (`$SRV.INFO`, `nats micro ls`):
   * a semantic version (`1.4.0`, `2.0.0-rc.1`), as ADR-32 requires; anything else is refused
   * at boot.
   * @default the `version` of the nearest package.json above the process's working directory, else '0.0.0'
   */
  version?: string;
  /**
   * One line on what this service does, reported by `$SRV.INFO` (`nats micro info`).
   * @default ''
   */
  description?: string;
  /**
   * Answer the NATS service protocol (ADR-32): `$SRV.PING`, `$SRV.INFO` and `$SRV.STATS`,
   * for all services, by name and by name and instance ID, with each RPC handler as an
   * endpoint and its request counts and times. Off, the service neither subscribes to `$SRV`
   * subjects nor counts requests.
   * @default true
   */
  discovery?: boolean;
  /**
   * NATS server URL or URLs.
   * @default 'nats://127.0.0.1:4222'
   */
  servers?: string | string[];
  /**
   * Prepended to every subject, RPC and events, on both sides: isolates an environment
   * or a test run sharing one NATS server. `'t42'` and `'t42.'` mean the same.
   * @default ''
   */
  subjectPrefix?: string;
  /**
   * Timeout of a client call when the call gives none, in milliseconds.
   * @default 5000
   */
  requestTimeoutMs?: number;
  /**
   * How long shutdown waits for in-flight handlers before closing, in milliseconds.
   * @default 10000
   */
  shutdownGraceMs?: number;
  /**
   * Core events one service handles at once; more wait their turn in arrival order. Bounding
   * them keeps a burst from turning into thousands of live promise chains (and GC time).
   * @default 64
   */
  maxConcurrentEvents?: number;
  /**
   * Core events that may wait for a slot, past `maxConcurrentEvents`. One more is refused at
   * once (dead-lettered with `OVERLOADED`, logged once per burst) instead of held in memory:
   * whoever may publish could otherwise grow the queue without end.
   * @default 10000
   */
  maxQueuedEvents?: number;
  /**
   * RPC requests one service handles at once (handlers with their own `@Rpc({ maxConcurrent })`
   * aside). One more waits in the queue (`maxQueuedRequests`) or is answered at once with
   * `OVERLOADED` (503, logged once per burst): requests to a handler that waits on something
   * slow, sent without waiting for their replies, could otherwise pile up without end. 256 is
   * far more than one Node process does useful work on at once (a database pool has 10 to 20
   * connections), yet a bound a slow dependency reaches in seconds rather than never.
   * @default 256
   */
  maxConcurrentRequests?: number;
  /**
   * RPC requests that may wait for a slot past `maxConcurrentRequests`, in arrival order, each
   * until its deadline (its handler's `timeoutMs`, else `requestTimeoutMs`: by then its caller
   * has given up), after which it is answered `RPC_TIMEOUT` without running. 0 refuses at once,
   * so callers learn of the overload instead of waiting behind it.
   * @default 0
   */
  maxQueuedRequests?: number;
  /**
   * Bytes of event bodies that may wait for a slot, in all; past it, as `maxQueuedEvents`.
   * @default 67108864 (64 MiB)
   */
  maxQueuedEventBytes?: number;
  /**
   * Bytes the server's connection gathers (its replies, mostly) before it writes them to NATS;
   * what is left goes out once the current work is done (a microtask). Under load a read
   * brings many requests at once: written in pieces, the first replies reach NATS, and their
   * callers, while the later ones are still being made, instead of all at the end (nats.js
   * gathers 32 KiB). Costs a few more writes, and nothing when requests come one at a time.
   * Clients keep nats.js's 32 KiB: a burst of events goes out in fewer writes.
   * @default 4096
   */
  replyFlushBytes?: number;
  /**
   * Reconnect attempts after the connection is lost; -1 retries forever.
   * @default -1
   */
  maxReconnectAttempts?: number;
  /**
   * Wait between reconnect attempts, in milliseconds.
   * @default 250
   */
  reconnectTimeWaitMs?: number;
  /**
   * How a server waits for NATS at start: when no server in `servers` accepts the first
   * connection, it retries with a doubling delay (a warning per attempt), not ready
   * meanwhile, and gives up with `NatsUnreachableError` once `maxWaitMs` has passed. Refused
   * credentials and other protocol errors fail at once. Clients (`NatsClient`) do not wait:
   * a call while NATS is down fails at once.
   * @default { maxWaitMs: 60000, initialDelayMs: 200, maxDelayMs: 5000 }
   */
  connectRetry?: ConnectRetryOptions;
  /**
   * Subject (under the prefix) that events whose handler failed are republished to,
   * followed by the original subject, so a failed event is never lost silently.
   * @default 'cliffracer.dead-letter'
   */
  deadLetterSubject?: string;
  /**
   * JetStream stream that stores durable events (and dead letters), shared by the services
   * of one environment; the subject prefix is prepended with dots turned into `_`.
   * @default 'CLIFFRACER_EVENTS'
   */
  durableStream?: string;
  /**
   * How long the durable stream keeps an event, in milliseconds.
   * @default 604800000 (7 days)
   */
  durableMaxAgeMs?: number;
  /**
   * Copies of the durable stream a NATS cluster keeps (1 to 5); 3 survives the loss of one
   * node. Applies when the stream is created.
   * @default 1
   */
  durableReplicas?: number;
  /**
   * Error classes the client rebuilds by name when a remote handler throws them;
   * others arrive as `RemoteError`.
   * @default []
   */
  errors?: ErrorClass[];
  /**
   * Bounds on every request and event body of this service, checked before it is parsed; a
   * handler's own `limits` override them. A body over one is refused with a `ValidationError`
   * naming the limit.
   * @default DEFAULT_PAYLOAD_LIMITS (depth 32, 1000 keys, 10000 elements, 256 KiB strings, 20000 values in all)
   */
  payloadLimits?: Partial<PayloadLimits>;
  /**
   * How this service proves who it is to NATS: one of a token, a user and password, an NKey
   * seed or a creds file (JWT and seed). Checked at boot; a refusal by the server fails at
   * once with a `TransportError` naming the method, never the secret.
   * @default none (an anonymous connection)
   */
  auth?: NatsAuthOptions;
  /**
   * TLS to NATS: the CA that signed the server's certificate and, when the server verifies
   * clients, this service's certificate and key, as files or PEM strings. Files are checked
   * at boot. `{}` asks for TLS with the system's CAs.
   * @default none (plain TCP unless the server requires TLS)
   */
  tls?: NatsTlsOptions;
  /**
   * Retries every call of this client (`NatsClient.call`), unless a call says `retry: false`:
   * give it only when this client's calls are idempotent. Without it a call opts in with
   * `retry: true` (this policy, else the defaults) or its own options. Only failures of the
   * exchange are retried (no responders, no reply in time, a connection failure), never an
   * error reply, all within the call's `timeoutMs`.
   * @default undefined (calls are not retried unless they ask)
   */
  retry?: CallRetryOptions;
  /**
   * Gives this client one circuit breaker per target service: after `failureThreshold`
   * failures in a row (no responders, no reply in time, `OVERLOADED`), calls to it fail at once
   * with `CircuitOpenError` until a probe after `halfOpenAfterMs` succeeds. `{}` takes the defaults.
   * @default undefined (no circuit breakers)
   */
  circuitBreaker?: CircuitBreakerOptions;
  /**
   * Further NATS connection options (ping interval, `noRandomize`, `inboxPrefix`). Credentials
   * and TLS go in `auth` and `tls`, which are checked; here they are refused.
   * @default {}
   */
  connection?: Partial<NodeConnectionOptions>;
}

/** One way of authenticating to NATS; give exactly one. */
export interface NatsAuthOptions {
  /** A token the server's `authorization { token }` accepts. */
  token?: string;
  /** A user name (with `password`) of the server's `authorization { users }`. */
  user?: string;
  /** The password of `user`. */
  password?: string;
  /** An NKey user seed (`SU…`); the server knows the user by its public key. */
  nkeySeed?: string;
  /** Path of a creds file (a user JWT and its NKey seed), as `nsc` writes it; read at each (re)connect. */
  credsFile?: string;
  /** The contents of a creds file, instead of `credsFile`. */
  creds?: string;
}

/** TLS settings of the NATS connection: each of CA, certificate and key as a file path or a PEM string. */
export interface NatsTlsOptions {
  /** Path of the CA certificate (PEM) that signed the server's certificate. */
  caFile?: string;
  /** The CA certificate as PEM, instead of `caFile`. */
  ca?: string;
  /** Path of this client's certificate (PEM), when the server verifies clients. */
  certFile?: string;
  /** The client certificate as PEM, instead of `certFile`. */
  cert?: string;
  /** Path of this client's private key (PEM), with `certFile`. */
  keyFile?: string;
  /** The private key as PEM, instead of `keyFile`. */
  key?: string;
}

/** How long and how often a server retries its first connection to NATS. */
export interface ConnectRetryOptions {
  /**
   * How long to keep trying, in milliseconds from the first attempt; 0 tries once.
   * @default 60000
   */
  maxWaitMs?: number;
  /**
   * Wait after the first failed attempt, in milliseconds; it doubles after each further one.
   * @default 200
   */
  initialDelayMs?: number;
  /**
   * Longest wait between two attempts, in milliseconds.
   * @default 5000
   */
  maxDelayMs?: number;
}

/** Options after defaults are applied and checked. */
export type NormalizedNatsTransportOptions = Required<Omit<NatsTransportModuleOptions, 'servers' | 'payloadLimits' | 'connectRetry' | 'auth' | 'tls' | 'retry' | 'circuitBreaker' | 'version'>> & {
  retry?: NormalizedCallRetry;
  circuitBreaker?: Required<CircuitBreakerOptions>;
  /** As given; without it discovery reads the package's version when it starts. */
  version?: string;
  auth?: NatsAuthOptions;
  tls?: NatsTlsOptions;
  servers: string[];
  payloadLimits: ResolvedPayloadLimits;
  connectRetry: Required<ConnectRetryOptions>;
};
