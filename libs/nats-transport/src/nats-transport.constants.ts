/** Marks a handler's `extras` as declared by `@Rpc` (subject `<service>.<method>`). */
export const RPC_HANDLER_KIND = 'cliffracer:rpc';
/** Marks a handler's `extras` as declared by `@Event`. */
export const EVENT_HANDLER_KIND = 'cliffracer:event';

/** Reply header carrying a numeric status when a reply is an error (NATS services convention). */
export const ERROR_STATUS_HEADER = 'Nats-Service-Error-Code';
/** Reply header carrying the error message of an error reply. */
export const ERROR_MESSAGE_HEADER = 'Nats-Service-Error';
/** Header on a dead-lettered event: the subject it was published on. */
export const ORIGINAL_SUBJECT_HEADER = 'Cliffracer-Original-Subject';
/** Header on a dead-lettered event: the error, as `name: message`. */
export const DEAD_LETTER_ERROR_HEADER = 'Cliffracer-Error';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
/** Header on a dead-lettered event: the service whose handler failed. */
export const SERVICE_HEADER = 'Cliffracer-Service';
