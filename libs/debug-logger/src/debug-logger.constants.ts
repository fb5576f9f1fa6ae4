/** The categories the framework writes; any other lowercase name is a custom category. */
export const DebugCategory = {
  SESSION: 'session',
  RPC: 'rpc',
  EVENTS: 'events',
  TIMERS: 'timers',
  PERFORMANCE: 'performance',
  STRESS: 'stress',
  ERRORS: 'errors',
  AUTH: 'auth',
  DATABASE: 'database',
  BACKDOOR: 'backdoor',
} as const;
export type DebugCategory = (typeof DebugCategory)[keyof typeof DebugCategory];

/** How bad a stress entry is. */
export const StressSeverity = {
  WARNING: 'warning',
  CRITICAL: 'critical',
} as const;
export type StressSeverity = (typeof StressSeverity)[keyof typeof StressSeverity];

/** Custom category names become file names, so they are kept to a safe alphabet. */
export const CATEGORY_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

/** Replaces the value of a field whose name looks secret. */
export const REDACTED = '[REDACTED]';
