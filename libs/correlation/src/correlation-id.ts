import { randomUUID } from 'node:crypto';
import { MAX_CORRELATION_ID_LENGTH } from './correlation.constants.js';

// IDs end up in every log line: only characters that cannot forge a line or a field are accepted.
const SAFE_ID = /^[A-Za-z0-9._:-]+$/;

/** A new correlation ID (a random UUID). */
export function generateCorrelationId(): string {
  return randomUUID();
}

/** True when an ID taken from outside (a header) is safe to log and pass on. */
export function isValidCorrelationId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_CORRELATION_ID_LENGTH &&
    SAFE_ID.test(value)
  );
}

/** The incoming ID when it is valid, a new one otherwise. */
export function acceptCorrelationId(incoming: unknown): string {
  return isValidCorrelationId(incoming) ? incoming : generateCorrelationId();
}
