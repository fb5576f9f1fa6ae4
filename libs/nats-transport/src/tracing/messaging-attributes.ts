import { CORRELATION_ID_ATTRIBUTE } from '@cliffracer/correlation';
import type { Attributes } from '@opentelemetry/api';

/** The instrumentation scope of the transport's spans. */
export const NATS_TRACER_NAME = '@cliffracer/nats-transport';

/**
 * `messaging.operation.type` values of the OpenTelemetry messaging semantic conventions
 * (v1.26+, where `publish` became `send`).
 */
export const MessagingOperation = {
  send: 'send',
  process: 'process',
  settle: 'settle',
} as const;
export type MessagingOperation = (typeof MessagingOperation)[keyof typeof MessagingOperation];

/**
 * The attributes every transport span has: `messaging.system` `nats`, the subject as
 * `messaging.destination.name`, the operation, and the correlation ID both as the
 * conventions' `messaging.message.conversation_id` and as `cliffracer.correlation_id`, the
 * key every Cliffracer span (HTTP route, timer run) shares.
 */
export function messagingAttributes(subject: string, type: MessagingOperation, name: string, correlationId: string | undefined): Attributes {
  return {
    'messaging.system': 'nats',
    'messaging.destination.name': subject,
    'messaging.operation.type': type,
    'messaging.operation.name': name,
    ...(correlationId !== undefined && { 'messaging.message.conversation_id': correlationId, [CORRELATION_ID_ATTRIBUTE]: correlationId }),
  };
}
