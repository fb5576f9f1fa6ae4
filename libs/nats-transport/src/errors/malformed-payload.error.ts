import { CliffracerError } from '@cliffracer/common';

/** A message body that is not JSON, or that carries a forbidden key such as `__proto__`. */
export class MalformedPayloadError extends CliffracerError {
  override readonly name = 'MalformedPayloadError';

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { code: 'BAD_PAYLOAD', cause: options.cause });
  }
}
