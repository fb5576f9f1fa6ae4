export { CallerHeader, CallerHeaders } from './decorators/caller-header.decorator.js';
export { Event } from './decorators/event.decorator.js';
export { Rpc } from './decorators/rpc.decorator.js';
export { CircuitOpenError } from './errors/circuit-open.error.js';
export { DuplicateHandlerError } from './errors/duplicate-handler.error.js';
export { NatsUnreachableError } from './errors/nats-unreachable.error.js';
export { MalformedPayloadError } from './errors/malformed-payload.error.js';
export { NoRespondersError } from './errors/no-responders.error.js';
export { OverloadedError } from './errors/overloaded.error.js';
export { PayloadTooLargeError } from './errors/payload-too-large.error.js';
export { RemoteError } from './errors/remote.error.js';
export { RpcTimeoutError } from './errors/rpc-timeout.error.js';
export { TransportError } from './errors/transport.error.js';
export { isCircuitOpenError, isNoRespondersError, isRemoteError, isRpcTimeoutError, isValidationError } from './errors/type-guards.js';
export { ValidationError } from './errors/validation.error.js';
export type { FieldFailure } from './errors/validation.error.js';
export type { InFlightHandler } from './in-flight.registry.js';
export type { ErrorClass } from './interfaces/error-class.interface.js';
export type { EventOptions, RpcOptions } from './interfaces/handler-metadata.interface.js';
export type { ConnectRetryOptions, NatsAuthOptions, NatsTlsOptions, NatsTransportModuleOptions } from './interfaces/nats-transport-options.interface.js';
export { NATS_ENV, natsConnectionFromEnv } from './nats-env.js';
export { NatsClient } from './nats.client.js';
export type { CallOptions, EmitOptions, EmitResult } from './nats.client.js';
export { NatsServer } from './nats.server.js';
export type { NatsRouteInfo } from './nats.server.js';
export { NatsServerRef } from './nats-server.ref.js';
export { attachNatsServer, createNatsMicroservice } from './create-nats-microservice.js';
export { resolveNatsOptions } from './nats-options.source.js';
export type { NatsOptionsFactory, NatsOptionsSource, ProviderLookup } from './nats-options.source.js';
export { NatsStatus } from './nats-connection.js';
export { installProcessGuards } from './process-guards.js';
export type { ProcessGuards, ProcessGuardsOptions } from './process-guards.js';
export {
  NATS_CALL_CHANNEL,
  NATS_CIRCUIT_CHANNEL,
  NATS_DEAD_LETTER_CHANNEL,
  NATS_HANDLED_CHANNEL,
  NATS_OVERLOAD_CHANNEL,
  NATS_REDELIVERY_CHANNEL,
  NATS_REFUSED_CHANNEL,
  NATS_RETRY_CHANNEL,
  NATS_STATUS_CHANNEL,
} from './nats-transport.diagnostics.js';
export type {
  CallReport,
  CircuitReport,
  CircuitStateName,
  DeadLetterReport,
  HandledReport,
  OverloadReport,
  RedeliveryReport,
  RefusedReport,
  RetryReport,
  StatusReport,
  TimedReport,
} from './nats-transport.diagnostics.js';
export { REFUSAL_CODES } from './wire/refusal-codes.js';
export type { CallRetryOptions, CircuitBreakerOptions } from './interfaces/resilience-options.interface.js';
export { DEFAULT_CALL_RETRY, DEFAULT_CIRCUIT_BREAKER, MAX_CALL_ATTEMPTS } from './resilience/resilience.options.js';
export { durableStreamName } from './durable/durable-stream.js';
export type { DurableSpec } from './interfaces/handler-metadata.interface.js';
export {
  DEAD_LETTER_ERROR_HEADER,
  ERROR_MESSAGE_HEADER,
  ERROR_STATUS_HEADER,
  ORIGINAL_SUBJECT_HEADER,
  SERVICE_HEADER,
} from './nats-transport.constants.js';
export { NatsTransportModule } from './nats-transport.module.js';
export { DEFAULT_NATS_TRANSPORT_OPTIONS, normalizeNatsTransportOptions } from './nats-transport.options.js';
export { CALLER_HEADER_LIMITS, DEFAULT_PAYLOAD_LIMITS, resolvePayloadLimits } from './nats-transport.limits.js';
export type { CallerHeaderLimits, PayloadLimits, ResolvedPayloadLimits } from './nats-transport.limits.js';
export { isReservedHeader } from './wire/caller-headers.js';
export { checkPayloadLimits } from './wire/json.codec.js';
export { RefusalLog } from './refusal.log.js';
export { SubscriptionTracer } from './tracing/subscription.tracer.js';
export type { TraceFields } from './tracing/subscription.tracer.js';
export { MIN_NATS_SERVER_VERSION } from './server-version.js';
export { RpcErrorFilter } from './rpc-error.filter.js';
export { RpcValidationPipe } from './rpc-validation.pipe.js';
export { NEEDS_ASYNC } from './pipeline/sync-pipe.js';
export { RPC_TRANSPARENT } from './pipeline/rpc-transparent.js';
export type { SyncPipe } from './pipeline/sync-pipe.js';
export { HandlerPipelines } from './pipeline/handler-pipelines.js';
export { withDeadline } from './handler-invoker.js';
export { INTERNAL_ERROR_CODE, statusOfWireError, toWireError } from './wire/wire-error.js';
export type { WireError } from './wire/wire-error.js';
export { NatsContext } from '@nestjs/microservices';
