import { CliffracerError } from '@cliffracer/common';

/** The NATS connection failed the request (closed, draining, not permitted). */
export class TransportError extends CliffracerError {
  override readonly name = 'TransportError';

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { code: 'TRANSPORT_ERROR', cause: options.cause });
  }
}
