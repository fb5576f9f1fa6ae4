import type { MsgHdrs } from '@nats-io/transport-node';
import { MalformedPayloadError } from '../errors/malformed-payload.error.js';
import { MESSAGES } from '../nats-transport.messages.js';

/**
 * Decodes a message's header block now, where a failure can be answered. nats.js decodes
 * headers lazily, on the first read of `msg.headers`, and throws on a malformed block (a space
 * in a name, a bare LF in a value); thrown inside a subscription callback, that closes the
 * connection's reader and silences the service. Once decoded, later reads are served from cache.
 * Returns the error to refuse the message with, or `undefined` when its headers are usable.
 */
export function headerFault(msg: { readonly headers?: MsgHdrs }, subject: string): MalformedPayloadError | undefined {
  try {
    void msg.headers;
    return undefined;
  } catch (cause) {
    return new MalformedPayloadError(MESSAGES.badHeaders(subject), { cause });
  }
}
