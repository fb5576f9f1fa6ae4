import { isCliffracerError } from '@cliffracer/common';
import { type INestApplicationContext, Logger, type LoggerService } from '@nestjs/common';
import { AsyncResource } from 'node:async_hooks';
import type { InFlightHandler } from './in-flight.registry.js';
import type { NatsServer } from './nats.server.js';
import { NatsServerRef } from './nats-server.ref.js';

/** How `installProcessGuards` stops the process. */
export interface ProcessGuardsOptions {
  /** Where the guards log. @default new Logger('ProcessGuards') */
  logger?: LoggerService;
  /**
   * The NATS servers shutdown closes first and reports the cut-off handlers of.
   * @default the server attached to the app's `NatsServerRef`, when there is one
   */
  servers?: NatsServer[];
  /** Signals that start a graceful shutdown, exiting 0. @default ['SIGTERM', 'SIGINT'] */
  signals?: NodeJS.Signals[];
  /**
   * Longest a whole shutdown may take before the process exits 1 anyway, in milliseconds.
   * @default three `shutdownGraceMs` of the slowest server (unsubscribe, in-flight, drain) plus 10000
   */
  shutdownTimeoutMs?: number;
  /** Ends the process; tests replace it. @default process.exit */
  exit?: (code: number) => void;
}

/** What `installProcessGuards` returns. */
export interface ProcessGuards {
  /**
   * Shuts the app down as on SIGTERM and exits with `code`, or 1 when handlers were still
   * running at the grace deadline. Later calls wait for the first.
   */
  shutdown(reason: string, code?: number): Promise<void>;
  /** For a service that could not start: logs `error` in one line, closes the app, exits 1. */
  abortStart(error: unknown): Promise<void>;
  /** Removes the process listeners, for an app that stops without ending the process. */
  uninstall(): void;
}

const DEFAULT_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const HOOKS_ALLOWANCE_MS = 10_000;

/**
 * Makes a service process end the way an operator expects, in place of Nest's
 * `enableShutdownHooks()` (which ends by re-raising the signal: status 143 after a clean drain).
 * - SIGTERM / SIGINT: the NATS servers stop taking messages, in-flight handlers finish within
 *   `shutdownGraceMs`, the connection drains, then `app.close()` runs the app's hooks; the
 *   last line is "shutdown complete" and the exit status 0. Handlers still running at the grace
 *   deadline are logged by subject and correlation ID, and the status is then 1.
 * - An unhandled rejection or uncaught exception outside a handler: logged with its stack and
 *   the work in flight, then the same shutdown, exiting 1, so in-flight callers still get replies.
 *
 * @example
 * const app = await createNatsMicroservice(OrdersModule, { service: 'orders' });
 * const guards = installProcessGuards(app, { logger: new Logger('Orders') });
 * await app.listen().catch((error) => guards.abortStart(error));
 */
export function installProcessGuards(app: INestApplicationContext, options: ProcessGuardsOptions = {}): ProcessGuards {
  const guards = new ProcessGuardsImpl(app, options);
  guards.install();
  return guards;
}

class ProcessGuardsImpl implements ProcessGuards {
  private readonly logger: LoggerService;
  private readonly servers: NatsServer[];
  private readonly signals: NodeJS.Signals[];
  private readonly exit: (code: number) => void;
  private stopping?: Promise<void>;
  private faulted = false;
  // Captured at install, outside any request: a fault raised in a request's timer must not
  // make the whole shutdown log under that request's correlation ID.
  private readonly root = new AsyncResource('ProcessGuards');

  constructor(
    private readonly app: INestApplicationContext,
    private readonly options: ProcessGuardsOptions,
  ) {
    this.logger = options.logger ?? new Logger('ProcessGuards');
    this.servers = options.servers ?? attachedServers(app);
    this.signals = options.signals ?? DEFAULT_SIGNALS;
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  install(): void {
    for (const signal of this.signals) process.on(signal, this.onSignal);
    process.on('uncaughtException', this.onUncaught);
    process.on('unhandledRejection', this.onUnhandledRejection);
  }

  uninstall(): void {
    for (const signal of this.signals) process.off(signal, this.onSignal);
    process.off('uncaughtException', this.onUncaught);
    process.off('unhandledRejection', this.onUnhandledRejection);
  }

  shutdown(reason: string, code = 0): Promise<void> {
    this.stopping ??= this.root.runInAsyncScope(() => this.stop(reason, code, true));
    return this.stopping;
  }

  abortStart(error: unknown): Promise<void> {
    // A framework error names what is wrong in its message; anything else is a bug and keeps its stack.
    if (isCliffracerError(error)) this.logger.error(`could not start: ${error.message}`);
    else this.logger.error(`could not start: ${describeError(error)}`, (error as Error)?.stack);
    this.stopping ??= this.root.runInAsyncScope(() => this.stop('start failed', 1, false));
    return this.stopping;
  }

  // Arrow properties: the same function objects must be passed to `process.off`.
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.stopping !== undefined) {
      this.logger.warn(`${signal} received while shutting down; still waiting for in-flight work`);
      return;
    }
    void this.shutdown(signal);
  };

  private readonly onUncaught = (error: Error): void => this.onFault('uncaught exception', error);

  private readonly onUnhandledRejection = (reason: unknown): void => this.onFault('unhandled rejection', reason);

  private onFault(kind: string, error: unknown): void {
    this.faulted = true;
    const state = this.stopping === undefined ? 'shutting down' : 'while shutting down';
    const inFlight = this.inFlight().length;
    this.logger.error(`${kind} outside a handler, ${state} with ${inFlight} handler(s) in flight: ${describeError(error)}`, (error as Error)?.stack);
    if (this.stopping === undefined) void this.shutdown(kind, 1);
  }

  private async stop(reason: string, code: number, announce: boolean): Promise<void> {
    if (announce) this.logger.log(`shutting down (${reason})`);
    const timeoutMs = this.options.shutdownTimeoutMs ?? defaultTimeoutMs(this.servers);
    const forced = setTimeout(() => {
      this.logger.error(`shutdown did not finish within ${timeoutMs}ms; exiting`);
      this.exit(1);
    }, timeoutMs);
    forced.unref();
    let exitCode = code;
    let cutOff: InFlightHandler[] = [];
    try {
      // The NATS servers close before the app's hooks run, so handlers still finishing keep
      // the providers (database, clients) that Nest's destroy hooks would release first.
      await Promise.all(this.servers.map((server) => server.close()));
      cutOff = this.inFlight();
      this.reportCutOff(cutOff);
      await this.app.close();
    } catch (error) {
      this.logger.error(`shutdown failed: ${describeError(error)}`, (error as Error)?.stack);
      exitCode = 1;
    }
    clearTimeout(forced);
    // A drain that cut handlers off, or a fault during it, is not a clean stop.
    if (cutOff.length > 0 || this.faulted) exitCode = Math.max(exitCode, 1);
    if (announce) {
      const note = cutOff.length === 0 ? '' : `, ${cutOff.length} handler(s) cut off at the grace deadline`;
      this.logger.log(`shutdown complete${note}`);
    }
    this.uninstall();
    this.exit(exitCode);
  }

  private reportCutOff(handlers: InFlightHandler[]): void {
    const now = Date.now();
    for (const { subject, correlationId, startedAt } of handlers) {
      this.logger.warn(`handler still running at the grace deadline: ${subject} (correlation ${correlationId}, running ${now - startedAt}ms)`);
    }
  }

  private inFlight(): InFlightHandler[] {
    return this.servers.flatMap((server) => server.inFlight.list());
  }
}

function attachedServers(app: INestApplicationContext): NatsServer[] {
  try {
    const ref = app.get(NatsServerRef, { strict: false });
    return ref.attached ? [ref.get()] : [];
  } catch {
    // An app without NatsTransportModule has no ref: nothing to close before its hooks.
    return [];
  }
}

function defaultTimeoutMs(servers: NatsServer[]): number {
  const grace = Math.max(0, ...servers.map((server) => server.options.shutdownGraceMs));
  return 3 * grace + HOOKS_ALLOWANCE_MS;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
