/** Message factories of the timers lib: one sentence that names the thing. */
export const MESSAGES = {
  invalidInterval: (value: unknown) => `timer interval must be a positive whole number of milliseconds, got ${String(value)}`,
  invalidName: (value: unknown) => `timer name must be a non-empty string, got ${JSON.stringify(value)}`,
  duplicateTimer: (name: string) => `two timers are named ${name}: give one of them another name`,
  timerFailed: (name: string, correlationId: string, reason: string) => `timer ${name} failed [cid=${correlationId}]: ${reason}`,
  unknownInterval: (name: string) => `an interval is configured for ${name}, but no timer has that name`,
  requestScoped: (name: string) => `timer ${name} is on a request-scoped provider and will not run`,
  stillRunning: (names: string[], graceMs: number) => `timer(s) still running after ${graceMs}ms at shutdown: ${names.join(', ')}`,
} as const;
