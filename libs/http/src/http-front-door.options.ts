import { InvalidOptionsError } from '@cliffracer/common';

/** What the database check is given: its time limit, and a signal that aborts when it has passed. */
export interface DatabasePingContext {
  timeoutMs: number;
  signal: AbortSignal;
}

/** Options of `HttpFrontDoorModule.forRoot` / `forRootAsync`. */
export interface HttpFrontDoorModuleOptions {
  /** The service name, on every metric and in health answers. */
  service: string;
  /**
   * Which instance of the service this process is (`orders-1`), in health answers, so a load
   * balancer's choices can be seen. @default none
   */
  instance?: string;
  /**
   * Asks the service's database whether it answers, for readiness: resolves (nothing, or `true`)
   * when it does; rejects or resolves `false` when not. A check that takes longer than
   * `databaseTimeoutMs` counts as down. Given by the app, so this door imports no database lib
   * (`pingDatabase: ({ timeoutMs }) => connection.ping(timeoutMs)`). @default none: readiness does not check a database
   */
  pingDatabase?: (context: DatabasePingContext) => Promise<void | boolean>;
  /** How long the database check may take before readiness fails, in milliseconds. @default 1000 */
  databaseTimeoutMs?: number;
  /** How long NATS may take to answer a PING before readiness fails, in milliseconds. @default 1000 */
  natsTimeoutMs?: number;
}

/** The options with defaults applied. */
export type NormalizedHttpFrontDoorOptions = Required<Pick<HttpFrontDoorModuleOptions, 'service' | 'databaseTimeoutMs' | 'natsTimeoutMs'>> &
  Pick<HttpFrontDoorModuleOptions, 'instance' | 'pingDatabase'>;

export const DEFAULT_HTTP_FRONT_DOOR_OPTIONS = {
  databaseTimeoutMs: 1000,
  natsTimeoutMs: 1000,
} as const;

/** The normalized options, checked once at boot. */
export const HTTP_FRONT_DOOR_OPTIONS = 'cliffracer:http:normalized-options';

/** Applies defaults and rejects options the door cannot work with. */
export function normalizeHttpFrontDoorOptions(options: HttpFrontDoorModuleOptions): NormalizedHttpFrontDoorOptions {
  const merged = {
    service: options.service,
    databaseTimeoutMs: options.databaseTimeoutMs ?? DEFAULT_HTTP_FRONT_DOOR_OPTIONS.databaseTimeoutMs,
    natsTimeoutMs: options.natsTimeoutMs ?? DEFAULT_HTTP_FRONT_DOOR_OPTIONS.natsTimeoutMs,
    ...(options.instance !== undefined && { instance: options.instance }),
    ...(options.pingDatabase !== undefined && { pingDatabase: options.pingDatabase }),
  };
  if (typeof merged.service !== 'string' || merged.service === '') throw new InvalidOptionsError('HttpFrontDoor', 'service must be a non-empty string');
  for (const key of ['databaseTimeoutMs', 'natsTimeoutMs'] as const) {
    const ms = merged[key];
    if (!Number.isInteger(ms) || ms <= 0 || ms > 60_000) throw new InvalidOptionsError('HttpFrontDoor', `${key} must be a whole number of milliseconds from 1 to 60000, got ${ms}`);
  }
  if (merged.pingDatabase !== undefined && typeof merged.pingDatabase !== 'function') throw new InvalidOptionsError('HttpFrontDoor', 'pingDatabase must be a function');
  return merged;
}
