// One place for the sentences the transport's errors and logs say.
export const MESSAGES = {
  rpcTimedOut: (subject: string, timeoutMs: number) => `rpc timed out after ${timeoutMs}ms: ${subject}`,
  handlerTimedOut: (subject: string, timeoutMs: number) =>
    `rpc handler did not finish within ${timeoutMs}ms: ${subject}`,
  queueTimedOut: (subject: string, timeoutMs: number) =>
    `rpc request waited ${timeoutMs}ms for a free slot and was not run: ${subject}`,
  timedOut: (side: 'caller' | 'handler' | 'queue', subject: string, timeoutMs: number): string =>
    side === 'caller' ? MESSAGES.rpcTimedOut(subject, timeoutMs) : side === 'handler' ? MESSAGES.handlerTimedOut(subject, timeoutMs) : MESSAGES.queueTimedOut(subject, timeoutMs),
  noResponders: (subject: string) => `no service is answering: ${subject}`,
  notJson: (subject: string) => `payload is not valid JSON: ${subject}`,
  hostileKey: (subject: string, key: string) => `payload has a forbidden key "${key}": ${subject}`,
  payloadLimit: (limit: string, max: number) => `payload breaks the limit ${limit} (${max})`,
  badHeaders: (subject: string) => `message headers cannot be decoded: ${subject}`,
  payloadTooLarge: (subject: string, bytes: number, max: number) =>
    `message of ${bytes} bytes is over the server's max_payload of ${max} bytes: ${subject}`,
  notSerializable: (subject: string) => `reply is not JSON-serializable: ${subject}`,
  validationFailed: (fields: string[]) => `validation failed: ${fields.join(', ') || 'payload'}`,
  internal: () => 'Internal server error',
  duplicateRpc: (pattern: string) => `two handlers are registered for the same rpc: ${pattern}`,
  invalidRpcName: (name: string) => `rpc name must be one subject token (letters, digits, _ or -): ${JSON.stringify(name)}`,
  invalidSubject: (subject: string) => `not a valid subject or subject pattern: ${JSON.stringify(subject)}`,
  transportFailed: (subject: string, reason: string) => `nats request failed (${reason}): ${subject}`,
  invalidDurable: (name: unknown) => `durable name must be one subject token (letters, digits, _ or -): ${JSON.stringify(name)}`,
  durableBroadcast: (subject: string) => `an event handler cannot be both durable and broadcast: ${subject}`,
  invalidDurableOption: (key: string, value: unknown) => `${key} must be a positive whole number, got ${JSON.stringify(value)}`,
  streamNotReady: (stream: string, subjects: string[]) => `stream ${stream} still lacks subjects after retries: ${subjects.join(', ')}`,
  durablePublishFailed: (subject: string, timeoutMs: number, reason: string) =>
    `durable event not stored within ${timeoutMs}ms (${reason}): ${subject}`,
  messageIdNeedsDurable: (subject: string) => `a message ID deduplicates durable events only: pass { durable: true } with it on ${subject}`,
  notReachable: (subject: string) => `not connected to NATS (reconnecting): call not sent: ${subject}`,
  credentialsRefused: (servers: string, method: string, reason: string) => `NATS at ${servers} refused the connection (${method}): ${reason}`,
  serverCertificateUntrusted: (servers: string, ca: string, code: string) => `TLS to NATS at ${servers} failed: the server certificate is not trusted${ca} (${code})`,
  tlsTimedOut: (servers: string) => `TLS to NATS at ${servers} timed out: if the server verifies clients, give tls.certFile and tls.keyFile`,
  permissionDenied: (operation: string, subject: string) =>
    `NATS denied ${operation === 'publish' ? 'publishing to' : 'subscribing to'} ${subject}: the connection's user has no ${operation === 'publish' ? 'publish' : 'subscribe'} permission for it`,
  connectionLost: (subject: string) => `connection to NATS lost while waiting for the reply: ${subject}`,
  pingUnanswered: (timeoutMs: number) => `the NATS server did not answer a ping within ${timeoutMs}ms: the connection's reader may have stopped`,
  notConnected: () => 'the NATS server is not started: call listen() first',
  pingFailed: (reason: string) => `the NATS server could not be pinged: ${reason}`,
  tooManyRequests: (subject: string, max: number, maxQueued: number, scope: 'service' | 'handler') =>
    `request refused: ${max} requests are being handled already${maxQueued > 0 ? ` and ${maxQueued} wait` : ''}${scope === 'handler' ? ' by its handler' : ''}: ${subject}`,
  invalidConcurrency: (name: string, key: string, value: unknown) => `${key} of rpc ${name} must be a ${key === 'maxQueued' ? 'whole number, 0 or more' : 'positive whole number'}, got ${JSON.stringify(value)}`,
  queuedNeedsConcurrent: (name: string) => `maxQueued of rpc ${name} needs maxConcurrent: the queue is the handler's own bulkhead's`,
  eventQueueFull: (subject: string, queued: number, maxQueued: number, maxBytes: number) =>
    `event refused: ${queued} events wait for a slot already (at most ${maxQueued}, ${maxBytes} bytes): ${subject}`,
  circuitOpen: (service: string, state: 'open' | 'half-open', subject: string) =>
    state === 'open'
      ? `circuit to ${service} is open after repeated failures: call not sent: ${subject}`
      : `circuit to ${service} is half-open, a probe call is under way: call not sent: ${subject}`,
  circuitOpened: (service: string, failures: number, reason: string) => `circuit to ${service} opened after ${failures} failure(s) in a row, last: ${reason}`,
  circuitClosed: (service: string) => `circuit to ${service} closed: a probe call succeeded`,
  headersNotObject: (target: string) => `headers must be a plain object of header names to string values: ${target}`,
  reservedHeader: (name: string, target: string) =>
    `header ${JSON.stringify(name)} is reserved for the framework and cannot be set by a caller: ${target}`,
  invalidHeaderName: (name: string, target: string) =>
    `header name ${JSON.stringify(name)} is not a token (letters, digits and !#$%&'*+-.^_\`|~; no ':', space or line break): ${target}`,
  invalidHeaderValue: (name: string, target: string) =>
    `header ${JSON.stringify(name)} must have a string value without line breaks, other control characters or lone surrogates: ${target}`,
  duplicateHeader: (name: string, target: string) => `header ${JSON.stringify(name)} is given twice (names ignore case): ${target}`,
  tooManyHeaders: (count: number, max: number, target: string) => `${count} headers are more than the limit maxHeaders (${max}): ${target}`,
  headersTooLarge: (max: number, target: string) => `headers are over the limit maxBytes (${max} bytes of names and values): ${target}`,
  notHeaderName: (name: unknown) => `a header name is one token (letters, digits and !#$%&'*+-.^_\`|~), got ${JSON.stringify(name)}`,
  reservedHeaderRead: (name: string) =>
    `header ${JSON.stringify(name)} is reserved: read the correlation ID from CorrelationContext and the user from @CurrentUser(), not the raw header`,
  optionsFactoryThrew: (reason: string) => `the options factory failed: ${reason}`,
  optionsFactoryAsync: () =>
    'the options factory returned a promise; Nest creates the transport synchronously: resolve asynchronous configuration in NatsTransportModule.forRootAsync and start without options',
  optionsNotObject: (value: unknown) => `the options factory must return an object of options, got ${value === null ? 'null' : typeof value}`,
  optionsFactoryNotFunction: () => 'useFactory must be a function',
  optionsProviderMissing: (token: string) => `the options factory injects ${token}, which no module of the app provides`,
  noTransportOptions: () => 'no NATS options: pass them, or { inject, useFactory }, or import NatsTransportModule (forRoot or forRootAsync)',
} as const;
