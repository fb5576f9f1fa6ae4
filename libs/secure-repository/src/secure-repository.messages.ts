/** Message factories of the secure repository's database errors: one sentence, no SQL, no values. */
export const MESSAGES = {
  unavailable: (entity: string) => `database unavailable for ${entity}; try again later`,
  timedOut: (entity: string, wait: string, timeoutMs: number) =>
    `database timed out after ${timeoutMs}ms ${wait === 'lock' ? 'waiting for a lock' : wait === 'connect' ? 'waiting for a connection' : 'running a statement'} for ${entity}`,
  queryRefused: (entity: string, write: boolean, why: string) => `database refused the ${write ? 'write' : 'query'} on ${entity}: ${why}`,
  faultLogged: (kind: string, entity: string, sqlstate: string, suppressed: number) =>
    `database ${kind} on ${entity} (${sqlstate})${suppressed > 0 ? `; ${suppressed} more like it since the last report` : ''}`,
} as const;

/** What a caller may learn of a refusal, by SQLSTATE; the driver's text (values, names) stays in the log. */
export const SQLSTATE_REASONS: Record<string, string> = {
  '23505': 'a row with this key or unique value exists',
  '23503': 'a row it refers to is missing, or others refer to it',
  '23502': 'a required column has no value',
  '23514': 'a check constraint is not met',
  '23P01': 'an exclusion constraint is not met',
  '22001': 'a value is too long for its column',
  '22003': 'a number is out of range for its column',
  '22007': 'a date or time has the wrong form',
  '22008': 'a date or time is out of range',
  '22P02': 'a value has the wrong form for its column',
  '22P05': 'a value holds a character the database cannot store',
  '22021': 'a value holds a character the database cannot store',
  '40001': 'it conflicted with a concurrent transaction; try again',
  '40P01': 'it deadlocked with a concurrent transaction; try again',
};
