import { CORRELATION_ID_HEADER } from '@cliffracer/correlation';
import type { MsgHdrs } from '@nats-io/transport-node';
import { MalformedPayloadError } from '../errors/malformed-payload.error.js';
import { MESSAGES } from '../nats-transport.messages.js';
import { headerValueIn } from './header-block.js';
import { type BodySource, subjectNamed } from './json.codec.js';

const CORRELATION_NAME = Buffer.from(CORRELATION_ID_HEADER, 'latin1');

/**
 * Decodes a message's header block now, where a failure can be answered. nats.js decodes
 * headers lazily, on the first read of `msg.headers`, and throws on a malformed block (a space
 * in a name, a bare LF in a value); thrown inside a subscription callback, that closes the
 * connection's reader and silences the service. Once decoded, later reads are served from cache.
 * Returns the error to refuse the message with, naming `where` (a subject, or the message,
 * whose subject is then read only for the error), or `undefined` when its headers are usable.
 */
export function headerFault(msg: { readonly headers?: MsgHdrs }, where: BodySource): MalformedPayloadError | undefined {
  try {
    void msg.headers;
    return undefined;
  } catch (cause) {
    return new MalformedPayloadError(MESSAGES.badHeaders(subjectNamed(where)), { cause });
  }
}

/** What the server reads of a message's headers before its handler runs. */
export interface IncomingHeaders {
  /** Set when the header block is malformed: the message is refused. */
  fault?: MalformedPayloadError;
  /** The caller's `X-Correlation-ID`, unchecked; `''` or `undefined` when it sent none. */
  correlationId?: string;
}

// A core message as nats.js 3 holds it: its bytes and where its header block ends (-1: none).
interface RawCoreMsg {
  readonly _rdata?: unknown;
  readonly _msg?: { readonly hdr?: unknown };
}

/**
 * Checks a message's header block and reads its correlation ID. A core message's block is
 * read on its bytes when it is plainly well formed, the common case, which spares nats.js's
 * decoding (a string split and a map per message) until a guard or handler reads `msg.headers`.
 * Anything else, or a message whose bytes are not reachable, is decoded by nats.js as
 * `headerFault` does. The subject is read only to name a fault.
 */
export function readIncomingHeaders(msg: { readonly headers?: MsgHdrs; readonly subject: string }): IncomingHeaders {
  const raw = msg as RawCoreMsg;
  const data = raw._rdata;
  const end = raw._msg?.hdr;
  if (data instanceof Uint8Array && typeof end === 'number') {
    if (end < 0) return { correlationId: undefined };
    const correlationId = headerValueIn(data, end, CORRELATION_NAME);
    if (correlationId !== undefined) return { correlationId };
  }
  const fault = headerFault(msg, msg);
  return fault !== undefined ? { fault } : { correlationId: msg.headers?.get(CORRELATION_ID_HEADER) };
}
