import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ExternalContextCreator, HttpAdapterHost, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { ListenerMetadataExplorer } from '@nestjs/microservices/listener-metadata-explorer.js';
import { NatsServer } from '../nats.server.js';
import { compileHandler } from './compiled-handler.js';
import { HandlerPartsResolver } from './handler-parts.resolver.js';

/**
 * Gives each `NatsServer` of the application its handlers' pipelines compiled at boot, so a
 * message costs what its guards, pipes and handler cost rather than Nest's per-call setup.
 * Runs when the module initializes, after Nest registered the handlers and before the server
 * listens. A handler it cannot compile (request-scoped, with interceptors) keeps Nest's own,
 * and so do all handlers of a hybrid HTTP app whose transport has a config of its own.
 */
@Injectable()
export class HandlerPipelines implements OnModuleInit {
  constructor(
    @Inject(ModulesContainer) private readonly modules: ModulesContainer,
    @Inject(ExternalContextCreator) private readonly external: ExternalContextCreator,
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    // A hybrid app's transport may have an ApplicationConfig of its own (`connectMicroservice`
    // without `inheritAppConfig`), which Nest builds its handlers from and the container does
    // not reach: compiling from the app's would add the app's global enhancers and drop its own.
    // Only a server known to share the app's (`sharesAppConfig`, as `createHttpService` sets) is
    // compiled there. A plain microservice has no HTTP adapter: null from NestFactory, undefined
    // in a testing module.
    const hybrid = Boolean(this.http.httpAdapter);
    const servers = this.natsServers().filter((server) => !hybrid || server.sharesAppConfig);
    if (servers.length === 0) return;
    const resolver = HandlerPartsResolver.from(this.external);
    if (resolver === undefined) return;
    const explorer = new ListenerMetadataExplorer(new MetadataScanner());
    for (const [moduleKey, module] of this.modules) {
      for (const wrapper of module.controllers.values()) {
        const instance = wrapper.instance as object | undefined;
        if (!instance || !wrapper.isDependencyTreeStatic()) continue;
        for (const { methodKey, patterns, transport, isEventHandler } of explorer.explore(instance)) {
          for (const server of servers) {
            // Nest gives a server only the handlers of its transport, or of none.
            if (transport !== undefined && server.transportId !== undefined && transport !== server.transportId) continue;
            const parts = resolver.resolve(instance, methodKey, moduleKey, isEventHandler, !server.propagatesEventHandlerErrors);
            if (parts === undefined) continue;
            const compiled = compileHandler(parts);
            for (const pattern of patterns) server.useCompiledHandler(pattern, isEventHandler, compiled);
          }
        }
      }
    }
  }

  // Nest lists each microservice's strategy as an RPC target when it creates the microservice.
  private natsServers(): NatsServer[] {
    const servers: NatsServer[] = [];
    this.modules
      .getRpcTargetRegistry()
      .subscribe((target) => {
        if (target instanceof NatsServer) servers.push(target);
      })
      .unsubscribe();
    return servers;
  }
}
