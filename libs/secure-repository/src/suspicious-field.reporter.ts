import type { DebugLogger } from '@cliffracer/debug-logger';
import { DatabaseFaultLog } from './database-fault.log.js';

/** Reports a field name that looked like an injection attempt. */
export type SuspiciousFieldReporter = (entity: string, field: string) => void;

/**
 * Logs a refused field name that looks like SQL: a warning once per 10 s per entity (the first
 * name, then how many more came), so callers sending such names cannot write log lines at
 * their request rate; and with the debug logger on, an entry in `database` and a `stress`
 * warning for each. The name is written as data (quoted JSON).
 */
export function suspiciousFieldReporter(debug?: DebugLogger, log = new DatabaseFaultLog(undefined, undefined, 'warn')): SuspiciousFieldReporter {
  return (entity, field) => {
    log.report(`suspicious:${entity}`, (suppressed) =>
      `refused a suspicious field name on ${entity}: ${field.slice(0, 200)}${suppressed > 0 ? `; ${suppressed} more since the last report` : ''}`,
    );
    debug?.log('database', 'query.suspicious_field', { entity, field });
    debug?.stress('suspicious_query', 'warning', { entity, field });
  };
}
