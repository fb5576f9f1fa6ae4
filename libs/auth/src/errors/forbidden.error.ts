import { CliffracerError } from '@cliffracer/common';

/** A valid token whose user lacks a role or permission the handler asks for. */
export class ForbiddenError extends CliffracerError {
  override readonly name = 'ForbiddenError';

  constructor(readonly missing: string[]) {
    super(`forbidden: missing ${missing.join(', ')}`, { code: 'FORBIDDEN', data: { missing } });
  }
}
