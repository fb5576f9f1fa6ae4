import { type Span, SpanStatusCode } from '@opentelemetry/api';

/** What a failed operation tells its span: the error's wire code, and its caller-safe message. */
export interface SpanFailure {
  readonly code: string;
  readonly message?: string;
}

/** The span attribute holding the correlation ID of the request (every Cliffracer span has it). */
export const CORRELATION_ID_ATTRIBUTE = 'cliffracer.correlation_id';

/**
 * Ends `span`: status ERROR with `error.type` set to the failure's code when there is one,
 * status left unset otherwise (OpenTelemetry leaves OK for the application to set).
 */
export function endSpan(span: Span, failure?: SpanFailure): void {
  if (failure !== undefined) {
    span.setAttribute('error.type', failure.code);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message === undefined ? failure.code : `${failure.code}: ${failure.message}` });
  }
  span.end();
}

/** The failure of a thrown value: its string `code` (Cliffracer errors), else its name. */
export function failureOf(error: unknown): SpanFailure {
  const code = (error as { code?: unknown } | undefined)?.code;
  const name = (error as Error | undefined)?.name;
  const message = (error as Error | undefined)?.message;
  return {
    code: typeof code === 'string' ? code : typeof name === 'string' ? name : 'Error',
    ...(typeof message === 'string' && { message }),
  };
}
