/** Header that carries the correlation ID over NATS and HTTP. */
export const CORRELATION_ID_HEADER = 'X-Correlation-ID';

/** Longest correlation ID accepted from outside; a longer one is replaced. */
export const MAX_CORRELATION_ID_LENGTH = 128;
