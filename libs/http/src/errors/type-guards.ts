import { NotReadyError } from './not-ready.error.js';

/** True when a readiness check found a dependency not answering (also from another copy of the lib). */
export function isNotReadyError(value: unknown): value is NotReadyError {
  return value instanceof NotReadyError || (value instanceof Error && value.name === 'NotReadyError');
}
