import type { MsgHdrs, NatsConnection } from '@nats-io/transport-node';
import { PayloadTooLargeError } from '../errors/payload-too-large.error.js';

/**
 * True for what nats.js throws when a message is over the server's `max_payload`. Catching it
 * where the message is published costs nothing on the way of messages that fit.
 */
export function isMaxPayloadError(error: unknown): boolean {
  return error instanceof Error && error.message.includes('max_payload size exceeded');
}

/** The typed error for a message that did not fit, measured only now that it failed. */
export function payloadTooLarge(nc: NatsConnection | undefined, subject: string, body: Uint8Array | string, headers?: MsgHdrs): PayloadTooLargeError {
  const bytes = (typeof body === 'string' ? Buffer.byteLength(body) : body.length) + (headers === undefined ? 0 : Buffer.byteLength(headers.toString()));
  return new PayloadTooLargeError(subject, bytes, nc?.info?.max_payload ?? 0);
}
