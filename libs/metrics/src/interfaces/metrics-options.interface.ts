/** Options of `MetricsModule`. */
export interface MetricsModuleOptions {
  /** The service's name: the `service` label of every metric, and which reports count. */
  service: string;
  /**
   * Serve `GET /metrics` on this port from a small HTTP listener of its own, for a service
   * without an HTTP door (`0`: any free port, see `MetricsEndpoint.port`). A service with the
   * HTTP door (`@cliffracer/http`) serves `/metrics` there instead.
   * @default undefined (no listener)
   */
  port?: number;
  /**
   * The address the listener binds to. The default keeps the metrics on the machine; in a
   * container a scraper reaches, `0.0.0.0`.
   * @default '127.0.0.1'
   */
  host?: string;
}

/** The options with defaults applied. */
export interface NormalizedMetricsOptions {
  service: string;
  port?: number;
  host: string;
}
