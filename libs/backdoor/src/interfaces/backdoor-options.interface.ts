/** Options of `BackdoorModule`. */
export interface BackdoorModuleOptions {
  /**
   * Shared secret asked before anything is evaluated; without it the backdoor does not start.
   * Take it from configuration (`BACKDOOR_TOKEN`), never from code.
   */
  token?: string;
  /**
   * Name shown in the banner and `inspect_service()`.
   * @default the NATS transport's service name, or 'service'
   */
  service?: string;
  /**
   * TCP port; 0 picks a free one (logged at start).
   * @default 0
   */
  port?: number;
  /**
   * Loopback address to bind: `127.0.0.1`, `::1` or `localhost`. Anything else is refused.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Start the backdoor. `CLIFFRACER_DISABLE_BACKDOOR=1` and a production environment
   * (`NODE_ENV` or `CLIFFRACER_ENV` = `production` or `prod`, in any case) turn it off anyway.
   * @default true
   */
  enabled?: boolean;
  /**
   * Start even in a production environment (never past `CLIFFRACER_DISABLE_BACKDOOR=1`).
   * @default false
   */
  allowInProduction?: boolean;
  /**
   * Sessions open at once; further connections are refused.
   * @default 4
   */
  maxSessions?: number;
  /**
   * A session with no input for this long is closed, in milliseconds.
   * @default 300000
   */
  idleTimeoutMs?: number;
  /**
   * Time to send the token after connecting, in milliseconds.
   * @default 10000
   */
  authTimeoutMs?: number;
  /**
   * Longest input line, in bytes; a longer one closes the session.
   * @default 65536
   */
  maxLineBytes?: number;
  /**
   * Failed logins allowed within `authWindowMs`, over all clients (all of them are local,
   * so a per-address limit would not limit anything); reaching it refuses logins for
   * `lockoutMs`.
   * @default 5
   */
  maxAuthFailures?: number;
  /**
   * Window of the login limit, in milliseconds.
   * @default 60000
   */
  authWindowMs?: number;
  /**
   * How long logins stay refused once `maxAuthFailures` is reached, in milliseconds. Even the
   * right token is refused meanwhile; afterwards failures are counted from zero.
   * @default 60000
   */
  lockoutMs?: number;
  /**
   * Longest run of one typed line, in milliseconds (node:vm's `timeout`): past it the line
   * fails with "Script execution timed out" and the service goes on. Code after an `await`,
   * in callbacks or timers is not bounded, nor is memory.
   * @default 3000
   */
  evalTimeoutMs?: number;
}

/** Options after defaults are applied and checked. */
export type NormalizedBackdoorOptions = Required<Omit<BackdoorModuleOptions, 'token' | 'service'>> & {
  token?: string;
  service?: string;
};
