import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { TimersMetadataAccessor } from './timers-metadata.accessor.js';
import { TimersRegistry } from './timers.registry.js';
import { MESSAGES } from './timers.messages.js';

/** Finds every `@Timer` method of the application's providers and controllers at init. */
@Injectable()
export class TimersExplorer implements OnModuleInit {
  private readonly logger = new Logger('Timers');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: TimersMetadataAccessor,
    @Inject(TimersRegistry) private readonly registry: TimersRegistry,
  ) {}

  onModuleInit(): void {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      this.explore(wrapper);
    }
  }

  private explore(wrapper: InstanceWrapper): void {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance || typeof instance !== 'object') return;
    const prototype = Object.getPrototypeOf(instance) as object | null;
    if (!prototype) return;
    for (const key of this.scanner.getAllMethodNames(prototype)) {
      const method = instance[key];
      if (typeof method !== 'function') continue;
      const spec = this.accessor.getTimer(method);
      if (spec === undefined) continue;
      if (!wrapper.isDependencyTreeStatic()) {
        this.logger.warn(MESSAGES.requestScoped(spec.name));
        continue;
      }
      this.registry.add(spec, () => (method as Function).call(instance));
    }
  }
}
