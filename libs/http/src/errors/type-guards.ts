import { NotReadyError } from './not-ready.error.js';
import { TooManyRequestsError } from './too-many-requests.error.js';

/** True when a readiness check found a dependency not answering (also from another copy of the lib). */
export function isNotReadyError(value: unknown): value is NotReadyError {
  return value instanceof NotReadyError || (value instanceof Error && value.name === 'NotReadyError');
}

/** True when a caller was refused by a rate limit (also from another copy of the lib). */
export function isTooManyRequestsError(value: unknown): value is TooManyRequestsError {
  return value instanceof TooManyRequestsError || (value instanceof Error && value.name === 'TooManyRequestsError');
}
