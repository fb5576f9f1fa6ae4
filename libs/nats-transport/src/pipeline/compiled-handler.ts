import type { ArgumentMetadata, CanActivate, PipeTransform } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { ExecutionContextHost, FORBIDDEN_MESSAGE } from '@nestjs/core/internal';
import { isObservable, lastValueFrom, type Observable } from 'rxjs';
import { catchError } from 'rxjs/operators';
import { isThenable } from '../maybe-promise.js';
import { NEEDS_ASYNC, type SyncPipe } from './sync-pipe.js';

/** One parameter of a handler: where its value comes from and the pipes it goes through. */
export interface CompiledParam {
  index: number;
  extract(data: unknown, context: unknown): unknown;
  metadata: ArgumentMetadata;
  pipes: PipeTransform[];
}

/** What a handler's Nest pipeline resolved to at boot (interceptors excluded: those keep Nest's own). */
export interface HandlerParts {
  instance: object;
  callback: (...args: unknown[]) => unknown;
  guards: CanActivate[];
  /** Empty: the handler gets `(data, context)` as they came. */
  params: CompiledParam[];
  argsLength: number;
  /** Nest's exception handler of the handler's filters; returns the Observable a filter made. */
  handleError(error: unknown, args: unknown[]): Observable<unknown>;
}


/**
 * Nest's message pipeline (guards, pipes, the handler, exception filters) for one handler,
 * with what Nest decides per call decided once at boot. It keeps Nest's order and results:
 * guards in turn (false → `RpcException('Forbidden resource')`), each parameter through the
 * global, class, method and parameter pipes, the method, and any error or failed Observable
 * through the handler's exception filters. What stays synchronous (boolean guards, pipes
 * that finish at once, a plain result) runs without a promise: under the correlation
 * context every promise costs an async-hook call, and Nest's own pipeline makes a dozen.
 */
export function compileHandler(parts: HandlerParts): (data: unknown, context: unknown) => unknown {
  const { instance, callback, guards, params, handleError } = parts;
  // Decided once: a parameter with a pipe that is not a `SyncPipe` always takes Nest's way.
  const synchronous = params.map((param) => param.pipes.every(isSyncPipe));
  const onError = (args: unknown[]) => (error: unknown) => handleError(error, args);

  // Nest awaits the handler's result, so an Observable a promise resolves to also meets the filters.
  const finish = (result: unknown, args: unknown[]): unknown => {
    if (isObservable(result)) return result.pipe(catchError(onError(args)));
    if (isThenable(result)) return result.then((value) => (isObservable(value) ? value.pipe(catchError(onError(args))) : value), onError(args));
    return result;
  };
  // Every error of the call reaches the filters once: what a filter throws goes to the caller as it is.
  const run = (handlerArgs: unknown[], args: unknown[]): unknown => {
    try {
      return finish(callback.apply(instance, handlerArgs), args);
    } catch (error) {
      return handleError(error, args);
    }
  };
  const call = (args: unknown[]): unknown => {
    if (params.length === 0) return run(args, args);
    const handlerArgs = new Array<unknown>(parts.argsLength);
    for (let i = 0; i < params.length; i++) {
      const param = params[i]!;
      let value: unknown;
      try {
        value = param.extract(args[0], args[1]);
      } catch (error) {
        return resolveParamsAsync(params, args, handlerArgs, i, () => {
          throw error;
        }).then((ready) => run(ready, args), onError(args));
      }
      const piped = synchronous[i] ? applyPipesSync(param, value) : NEEDS_ASYNC;
      if (piped === NEEDS_ASYNC) {
        return resolveParamsAsync(params, args, handlerArgs, i, () => value).then((ready) => run(ready, args), onError(args));
      }
      handlerArgs[param.index] = piped;
    }
    return run(handlerArgs, args);
  };

  return (data: unknown, context: unknown): unknown => {
    const args = [data, context];
    if (guards.length === 0) return call(args);
    let allowed: true | Promise<void>;
    try {
      allowed = activateSync(guards, args, instance, callback);
    } catch (error) {
      return handleError(error, args);
    }
    return allowed === true ? call(args) : allowed.then(() => call(args), onError(args));
  };
}

/**
 * Runs the `SyncPipe`s of a parameter while each finishes at once; `NEEDS_ASYNC` once one would
 * not, or throws (its `transform` then throws the same, where Nest would see it).
 */
function applyPipesSync(param: CompiledParam, value: unknown): unknown {
  if (isThenable(value)) return NEEDS_ASYNC;
  let result = value;
  for (const pipe of param.pipes as Array<PipeTransform & SyncPipe>) {
    try {
      result = pipe.transformSync(result, param.metadata);
    } catch {
      return NEEDS_ASYNC;
    }
    if (result === NEEDS_ASYNC) return NEEDS_ASYNC;
  }
  return result;
}

/**
 * The parameters from `from` on, as Nest resolves them (`RpcContextCreator.createPipesFn`): all
 * at once, each extracted and given to its first pipe in turn, the first failure rejecting.
 * `first` gives what the parameter `from` was extracted to (or throws what extracting threw),
 * so no decorator runs twice. The parameters before it went through `SyncPipe`s only, which
 * have no effects to order; their pipes gave the same results a `transform` would.
 */
function resolveParamsAsync(params: CompiledParam[], args: unknown[], handlerArgs: unknown[], from: number, first: () => unknown): Promise<unknown[]> {
  const pending: Promise<void>[] = [];
  for (let i = from; i < params.length; i++) {
    const param = params[i]!;
    pending.push(resolveParam(param, handlerArgs, i === from ? first : () => param.extract(args[0], args[1])));
  }
  return Promise.all(pending).then(() => handlerArgs);
}

// The three async layers below are Nest's (`resolveParamValue`, `getParamValue`, `PipesConsumer.apply`
// and `applyPipes`), kept as deep so the pipes of several parameters interleave as they do there.
async function resolveParam(param: CompiledParam, handlerArgs: unknown[], extract: () => unknown): Promise<void> {
  const value = extract();
  handlerArgs[param.index] = await paramValue(value, param);
}

async function paramValue(value: unknown, param: CompiledParam): Promise<unknown> {
  return param.pipes.length === 0 ? value : applyPipesLayer(value, param);
}

async function applyPipesLayer(value: unknown, param: CompiledParam): Promise<unknown> {
  return applyPipes(value, param);
}

async function applyPipes(value: unknown, param: CompiledParam): Promise<unknown> {
  let result = isThenable(value) ? await value : value;
  for (const pipe of param.pipes) result = await pipe.transform(result, param.metadata);
  return result;
}

/** True when every guard said yes at once; else a promise of the rest, rejecting when one says no. */
function activateSync(guards: CanActivate[], args: unknown[], instance: object, callback: Function): true | Promise<void> {
  const context = new ExecutionContextHost(args, instance.constructor as never, callback as never);
  context.setType('rpc');
  for (let i = 0; i < guards.length; i++) {
    const result = guards[i]!.canActivate(context);
    if (result === true) continue;
    if (result === false) throw new RpcException(FORBIDDEN_MESSAGE);
    return activateRest(guards, i, result, context);
  }
  return true;
}

async function activateRest(guards: CanActivate[], from: number, first: unknown, context: ExecutionContextHost): Promise<void> {
  let result: unknown = first;
  for (let i = from; i < guards.length; i++) {
    if (i > from) result = guards[i]!.canActivate(context);
    let value = await result;
    if (isObservable(value)) value = await lastValueFrom(value);
    if (!value) throw new RpcException(FORBIDDEN_MESSAGE);
  }
}

/**
 * A pipe whose `transformSync` stands for its `transform`: both come from the same class. A
 * subclass (or an instance) that overrides `transform` alone adds work `transformSync` skips.
 */
function isSyncPipe(pipe: PipeTransform): pipe is PipeTransform & SyncPipe {
  if (typeof (pipe as Partial<SyncPipe>).transformSync !== 'function') return false;
  let owner: object | null = pipe;
  while (owner !== null && !Object.hasOwn(owner, 'transform')) owner = Object.getPrototypeOf(owner) as object | null;
  return owner !== null && Object.hasOwn(owner, 'transformSync');
}
