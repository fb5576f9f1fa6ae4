import { CliffracerError } from '@cliffracer/common';

/** A readiness check found a dependency of the service not answering; `check` names it. */
export class NotReadyError extends CliffracerError {
  override readonly name = 'NotReadyError';

  constructor(
    readonly check: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, { ...options, code: 'NOT_READY' });
  }
}
