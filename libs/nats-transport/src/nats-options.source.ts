import { InvalidOptionsError } from '@cliffracer/common';
import type { InjectionToken } from '@nestjs/common';
import type { NatsTransportModuleOptions } from './interfaces/nats-transport-options.interface.js';
import { NATS_TRANSPORT_OPTIONS } from './nats-transport.module-definition.js';
import { MESSAGES } from './nats-transport.messages.js';
import { isThenable } from './maybe-promise.js';
import { normalizeNatsTransportOptions } from './nats-transport.options.js';

const MODULE = 'NatsTransport';

/**
 * NATS options computed from the app's providers once its modules are built, as Nest's
 * `createMicroservice` takes them: `useFactory` is called with the `inject`ed providers.
 *
 * @example
 * { inject: [ConfigService], useFactory: (config: ConfigService) => ({ service: 'orders', servers: config.getOrThrow('NATS_URL') }) }
 */
export interface NatsOptionsFactory {
  /** Providers handed to `useFactory`, in order; found in any module of the app. @default [] */
  inject?: InjectionToken[];
  /** Returns the options (not a promise: Nest builds the transport synchronously); runs once, at boot. */
  useFactory: (...args: any[]) => NatsTransportModuleOptions;
}

/**
 * Where a service's `NatsServer` takes its options: given as they are, from a factory, or
 * (`undefined`) the options the app's `NatsTransportModule` was given, so `forRootAsync`
 * configures the client and the server at once.
 */
export type NatsOptionsSource = NatsTransportModuleOptions | NatsOptionsFactory | undefined;

/** Finds a provider of the app, whatever module holds it. */
export type ProviderLookup = (token: InjectionToken) => unknown;

/**
 * The options a source stands for, checked as the server will use them: a factory that
 * throws, returns a promise or something that is not options, a missing provider, or bad
 * options, each fail with one `InvalidOptionsError` that says which.
 */
export function resolveNatsOptions(source: NatsOptionsSource, lookup: ProviderLookup): NatsTransportModuleOptions {
  const factory = source === undefined ? { inject: [NATS_TRANSPORT_OPTIONS], useFactory: fromModule } : isFactory(source) ? source : undefined;
  const options = factory === undefined ? source : run(factory, lookup);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new InvalidOptionsError(MODULE, MESSAGES.optionsNotObject(options));
  if (isThenable(options)) throw new InvalidOptionsError(MODULE, MESSAGES.optionsFactoryAsync());
  normalizeNatsTransportOptions(options as NatsTransportModuleOptions);
  return options as NatsTransportModuleOptions;
}

function isFactory(source: NatsTransportModuleOptions | NatsOptionsFactory): source is NatsOptionsFactory {
  return typeof source === 'object' && source !== null && 'useFactory' in source;
}

function run(factory: NatsOptionsFactory, lookup: ProviderLookup): unknown {
  if (typeof factory.useFactory !== 'function') throw new InvalidOptionsError(MODULE, MESSAGES.optionsFactoryNotFunction());
  const args = (factory.inject ?? []).map((token) => {
    try {
      return lookup(token);
    } catch (error) {
      if (token === NATS_TRANSPORT_OPTIONS) throw new InvalidOptionsError(MODULE, MESSAGES.noTransportOptions(), { cause: error });
      throw new InvalidOptionsError(MODULE, MESSAGES.optionsProviderMissing(tokenName(token)), { cause: error });
    }
  });
  try {
    return factory.useFactory(...args);
  } catch (error) {
    if (error instanceof InvalidOptionsError) throw error;
    throw new InvalidOptionsError(MODULE, MESSAGES.optionsFactoryThrew(error instanceof Error ? error.message : String(error)), { cause: error });
  }
}

function fromModule(options: NatsTransportModuleOptions): NatsTransportModuleOptions {
  return options;
}

function tokenName(token: InjectionToken): string {
  return typeof token === 'function' ? token.name : String(token);
}
