import type { DebugLogger } from '@cliffracer/debug-logger';
import { Logger } from '@nestjs/common';

/** Reports a field name that looked like an injection attempt. */
export type SuspiciousFieldReporter = (entity: string, field: string) => void;

/**
 * Logs a refused field name that looks like SQL: a warning, and with the debug logger on,
 * an entry in `database` and a `stress` warning. The name is written as data (quoted JSON).
 */
export function suspiciousFieldReporter(debug?: DebugLogger): SuspiciousFieldReporter {
  const logger = new Logger('SecureRepository');
  return (entity, field) => {
    logger.warn(`refused a suspicious field name on ${entity}: ${field.slice(0, 200)}`);
    debug?.log('database', 'query.suspicious_field', { entity, field });
    debug?.stress('suspicious_query', 'warning', { entity, field });
  };
}
