import type { WireError } from '../wire/wire-error.js';

// A STATS reply stays small whatever a handler's error message says.
const MAX_LAST_ERROR_LENGTH = 512;

/** What `$SRV.STATS` reports for one endpoint, as ADR-32 names it (times in nanoseconds). */
export interface EndpointFigures {
  num_requests: number;
  num_errors: number;
  processing_time: number;
  average_processing_time: number;
  last_error: string;
}

/**
 * Request counters of one RPC route, kept on the route so the transport counts a finished
 * request with a few additions and no lookup. The last error is kept as the reply's wire error
 * and formatted only when someone asks for the stats.
 */
export class EndpointStats {
  private requests = 0;
  private errors = 0;
  private totalMs = 0;
  private lastError?: WireError;

  /** Counts a request whose handler ran for `durationMs`, failing with `failure` if given. */
  record(durationMs: number, failure: WireError | undefined): void {
    this.requests += 1;
    this.totalMs += durationMs;
    if (failure !== undefined) {
      this.errors += 1;
      this.lastError = failure;
    }
  }

  /** Counts a request refused before any handler ran (overload, undecodable headers). */
  refused(failure: WireError): void {
    this.requests += 1;
    this.errors += 1;
    this.lastError = failure;
  }

  /** The figures now; the error is as its caller saw it (`CODE: message`), never more. */
  figures(): EndpointFigures {
    const processing = Math.round(this.totalMs * 1e6);
    return {
      num_requests: this.requests,
      num_errors: this.errors,
      processing_time: processing,
      average_processing_time: this.requests === 0 ? 0 : Math.round(processing / this.requests),
      last_error: this.lastError === undefined ? '' : `${this.lastError.code}: ${this.lastError.message}`.slice(0, MAX_LAST_ERROR_LENGTH),
    };
  }
}
