export { BoundedWsAdapter, DEFAULT_WS_MAX_PAYLOAD } from './bounded-ws.adapter.js';
export { CallerThrottlerGuard } from './caller-throttler.guard.js';
export {
  addressTracker,
  CLIENT_ADDRESS_HEADER,
  callerAddressOf,
  DEFAULT_MAX_USER_NAME_LENGTH,
  UNKNOWN_NATS_CALLER,
  userNameTracker,
} from './caller-trackers.js';
export type { CallerTrackerOptions, UserNameTrackerOptions } from './caller-trackers.js';
export { createHttpService } from './create-http-service.js';
export type { HttpServiceOptions } from './create-http-service.js';
export { CircuitsHealthIndicator } from './circuits.health-indicator.js';
export { DatabaseHealthIndicator } from './database.health-indicator.js';
export { NotReadyError } from './errors/not-ready.error.js';
export { TooManyRequestsError } from './errors/too-many-requests.error.js';
export { isNotReadyError, isTooManyRequestsError } from './errors/type-guards.js';
export { HealthController } from './health.controller.js';
export { HTTP_CORRELATION_HEADER, useHttpCorrelation } from './http-correlation.js';
export { HTTP_TRACER_NAME, useHttpTracing } from './http-tracing.js';
export { HttpErrorsInterceptor } from './http-errors.interceptor.js';
export { HttpFrontDoorModule } from './http-front-door.module.js';
export { DEFAULT_HTTP_FRONT_DOOR_OPTIONS, normalizeHttpFrontDoorOptions } from './http-front-door.options.js';
export type { DatabasePingContext, HttpFrontDoorModuleOptions, NormalizedHttpFrontDoorOptions } from './http-front-door.options.js';
export { MetricsController } from './metrics.controller.js';
export { MetricsService } from './metrics.service.js';
export { NatsHealthIndicator } from './nats.health-indicator.js';
export { setupHttpFrontDoor } from './setup-http-front-door.js';
export { ShutdownState } from './shutdown.state.js';
export { rpcRequestOf } from './throttled-request.js';
export type { ThrottledRequest } from './throttled-request.js';
export { TrafficStats } from './traffic.stats.js';
export type { TrafficSnapshot } from './traffic.stats.js';
