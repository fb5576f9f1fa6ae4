import type { CanActivate, PipeTransform } from '@nestjs/common';
import type { ExternalContextCreator } from '@nestjs/core';
import {
  ContextUtils,
  ExecutionContextHost,
  GuardsContextCreator,
  InterceptorsContextCreator,
  ParamsTokenFactory,
  PipesContextCreator,
  STATIC_CONTEXT,
} from '@nestjs/core/internal';
import type { NestContainer } from '@nestjs/core/injector/container.js';
import { ExceptionFiltersContext } from '@nestjs/microservices/context/exception-filters-context.js';
import { RpcContextCreator } from '@nestjs/microservices/context/rpc-context-creator.js';
import { DEFAULT_CALLBACK_METADATA } from '@nestjs/microservices/context/rpc-metadata-constants.js';
import type { Observable } from 'rxjs';
import type { CompiledParam, HandlerParts } from './compiled-handler.js';
import { RPC_TRANSPARENT } from './rpc-transparent.js';

/** A parameter as Nest's RPC context creator describes it. */
interface NestParam {
  index: number;
  type: unknown;
  data: unknown;
  metatype?: unknown;
  schema?: unknown;
  pipes: PipeTransform[];
  extractValue(...args: unknown[]): unknown;
}

interface ExceptionsHandler {
  handle(error: unknown, host: ExecutionContextHost, reportUnhandled?: boolean): Observable<unknown>;
}

/**
 * Resolves, once per handler, what Nest's microservice pipeline would resolve for it: its
 * guards, pipes and parameters, and its exception filters, with the same context creators
 * Nest uses (global, module, class and method enhancers, `APP_*` providers included).
 * Returns `undefined` for what only Nest's own pipeline runs: handlers with interceptors (but
 * those marked `RPC_TRANSPARENT`, which leave RPC messages alone), and applications with
 * pre-request hooks.
 */
export class HandlerPartsResolver {
  private readonly guards: GuardsContextCreator;
  private readonly pipes: PipesContextCreator;
  private readonly interceptors: InterceptorsContextCreator;
  private readonly filters: ExceptionFiltersContext;
  private readonly params: RpcContextCreator;
  private readonly tokens = new ParamsTokenFactory();
  private readonly contextUtils = new ContextUtils();
  private readonly hasPreRequestHooks: boolean;

  private constructor(container: NestContainer) {
    const config = container.applicationConfig!;
    this.guards = new GuardsContextCreator(container, config);
    this.pipes = new PipesContextCreator(container, config);
    this.interceptors = new InterceptorsContextCreator(container, config);
    this.filters = new ExceptionFiltersContext(container, config);
    // Only its parameter metadata is used: the same reading of param decorators as Nest's.
    this.params = new RpcContextCreator(undefined as never, this.filters, this.pipes, undefined as never, this.guards, undefined as never, this.interceptors, undefined as never, config);
    this.hasPreRequestHooks = (config.getGlobalPreRequestHooks?.() ?? []).length > 0;
  }

  /**
   * From the application's `ExternalContextCreator` (a core provider), whose container Nest
   * keeps in a field of its own; `undefined` if a Nest version no longer does.
   */
  static from(external: ExternalContextCreator): HandlerPartsResolver | undefined {
    const container = (external as unknown as { container?: NestContainer }).container;
    if (container?.applicationConfig === undefined) return undefined;
    return new HandlerPartsResolver(container);
  }

  resolve(instance: object, methodKey: string, moduleKey: string, isEventHandler: boolean, reportUnhandled: boolean): HandlerParts | undefined {
    const callback = (instance as Record<string, (...args: unknown[]) => unknown>)[methodKey]!;
    if (this.hasPreRequestHooks) return undefined;
    const interceptors = this.interceptors.create(instance as never, callback, moduleKey, STATIC_CONTEXT);
    if (interceptors.some((interceptor) => (interceptor as { [RPC_TRANSPARENT]?: boolean })[RPC_TRANSPARENT] !== true)) return undefined;
    const guards = this.guards.create(instance as never, callback, moduleKey, STATIC_CONTEXT) as CanActivate[];
    const pipes = this.pipes.create(instance as never, callback, moduleKey, STATIC_CONTEXT) as PipeTransform[];
    const exceptions = this.filters.create(instance as never, callback as never, moduleKey) as unknown as ExceptionsHandler;
    const { argsLength, paramtypes, getParamsMetadata } = this.params.getMetadata(instance as never, methodKey, DEFAULT_CALLBACK_METADATA, 'rpc');
    const nestParams = getParamsMetadata(moduleKey) as unknown as NestParam[] | undefined;
    const params = nestParams ? (this.contextUtils.mergeParamsMetatypes(nestParams as never, paramtypes) as unknown as NestParam[]) : [];
    const handleError = (error: unknown, args: unknown[]) => {
      const host = new ExecutionContextHost(args);
      host.setType('rpc');
      return exceptions.handle(error, host, reportUnhandled && isEventHandler);
    };
    return { instance, callback, guards, params: params.map((param) => this.compileParam(param, pipes)), argsLength, handleError };
  }

  private compileParam(param: NestParam, pipes: PipeTransform[]): CompiledParam {
    const { index, type, data, metatype, schema } = param;
    return {
      index,
      extract: (payload, context) => param.extractValue(payload, context),
      metadata: { metatype, type: this.tokens.exchangeEnumForString(type as never), data, schema } as never,
      pipes: pipes.concat(param.pipes),
    };
  }
}
