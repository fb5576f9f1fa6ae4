import { DebugLogger } from '@cliffracer/debug-logger';
import { NatsClient, NatsServerRef } from '@cliffracer/nats-transport';
import { Inject, Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, ModuleRef } from '@nestjs/core';
import { backdoorBanner } from './backdoor.banner.js';
import { buildContext } from './backdoor.helpers.js';
import { BACKDOOR_OPTIONS, BackdoorConfigurableModule } from './backdoor.module-definition.js';
import { backdoorDisabledReason, normalizeBackdoorOptions } from './backdoor.options.js';
import { BackdoorServer } from './backdoor.server.js';
import { HandlerStats } from './handler-stats.js';
import type { BackdoorModuleOptions, NormalizedBackdoorOptions } from './interfaces/backdoor-options.interface.js';

/**
 * A live REPL into the running service over TCP on loopback, behind a token. Off in
 * production, with `CLIFFRACER_DISABLE_BACKDOOR=1`, or without a token.
 *
 * @example
 * BackdoorModule.forRoot({ token: process.env.BACKDOOR_TOKEN, port: 0 })
 * // log: Backdoor server available on 127.0.0.1:40123   →   nc localhost 40123
 */
@Module({ imports: [DiscoveryModule] })
export class BackdoorModule extends BackdoorConfigurableModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Backdoor');
  private readonly options: NormalizedBackdoorOptions;
  private server?: BackdoorServer;
  private stats?: HandlerStats;

  constructor(
    @Inject(BACKDOOR_OPTIONS) options: BackdoorModuleOptions,
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
  ) {
    super();
    this.options = normalizeBackdoorOptions(options);
  }

  /** The running backdoor server, if it started. */
  get backdoor(): BackdoorServer | undefined {
    return this.server;
  }

  async onApplicationBootstrap(): Promise<void> {
    const reason = backdoorDisabledReason(this.options);
    if (reason !== undefined) {
      this.logger.log(`Backdoor server disabled: ${reason}`);
      return;
    }
    const client = this.optional(NatsClient);
    const ref = this.optional(NatsServerRef);
    const debug = this.optional(DebugLogger);
    const serviceName = this.options.service ?? client?.options.service ?? 'service';
    const stats = new HandlerStats(serviceName);
    stats.start();
    this.stats = stats;
    const targets = {
      serviceName,
      moduleRef: this.moduleRef,
      client,
      server: ref?.attached ? ref.get() : undefined,
      stats,
      debug,
      startedAt: Date.now(),
      findByName: (name: string) => this.findByName(name),
    };
    const server = new BackdoorServer(this.options as NormalizedBackdoorOptions & { token: string }, {
      serviceName,
      banner: () => backdoorBanner(serviceName),
      context: (close) => buildContext(targets, close),
      debug,
    });
    // A debugging aid must never keep the service from running: a taken port costs the backdoor only.
    try {
      await server.listen();
    } catch (error) {
      stats.stop();
      this.stats = undefined;
      const { host, port } = this.options;
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.logger.error(`Backdoor server not started: cannot listen on ${host}:${port} (${code}); the service runs without it`);
      return;
    }
    this.server = server;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stats?.stop();
    await this.server?.close();
  }

  private findByName(name: string): unknown {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    return wrappers.find((wrapper) => wrapper.name === name && wrapper.instance)?.instance;
  }

  private optional<T>(token: Type<T>): T | undefined {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
