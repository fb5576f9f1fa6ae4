import { CorrelationContext } from '@cliffracer/correlation';
import type { LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';

/**
 * Logs, once and where it is caught, an error whose details the caller does not get: with its
 * stack and the correlation ID, so the generic `InternalError` a caller reports can be traced.
 * A thrown non-error (a plain object, a string, `null`) is shown briefly, never at length.
 */
export function logInternalFailure(logger: LoggerService, what: string, subject: string, error: unknown): void {
  const correlationId = CorrelationContext.currentId() ?? 'none';
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : `non-error thrown: ${brief(error)}`;
  logger.error(`${what} failed on ${subject} (correlation ${correlationId}): ${summary}`, error instanceof Error ? error.stack : undefined);
}

function brief(value: unknown): string {
  return inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 200 });
}
