import { CliffracerError } from './cliffracer.error.js';

/** Thrown at boot when a module is given options it cannot work with. */
export class InvalidOptionsError extends CliffracerError {
  override readonly name = 'InvalidOptionsError';

  constructor(
    readonly moduleName: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`invalid ${moduleName} options: ${reason}`, { code: 'INVALID_OPTIONS', cause: options?.cause });
  }
}
