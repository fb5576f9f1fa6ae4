/**
 * Codes of input refused rather than failed: a body that is not JSON or breaks the limits, a
 * payload that fails validation, no room to take it. Logged once per burst, not once each;
 * metrics count them as refusals.
 */
export const REFUSAL_CODES: ReadonlySet<string> = new Set(['BAD_PAYLOAD', 'VALIDATION_ERROR', 'PAYLOAD_TOO_LARGE', 'OVERLOADED']);
