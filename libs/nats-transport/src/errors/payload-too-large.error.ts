import { CliffracerError } from '@cliffracer/common';
import { MESSAGES } from '../nats-transport.messages.js';

/** A request, reply or event over the NATS server's `max_payload`: refused before it is sent. */
export class PayloadTooLargeError extends CliffracerError {
  override readonly name = 'PayloadTooLargeError';

  constructor(
    readonly subject: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(MESSAGES.payloadTooLarge(subject, bytes, maxBytes), { code: 'PAYLOAD_TOO_LARGE', data: { bytes, maxBytes } });
  }
}
