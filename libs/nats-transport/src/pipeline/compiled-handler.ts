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
  const onError = (args: unknown[]) => (error: unknown) => handleError(error, args);

  const finish = (result: unknown, args: unknown[]): unknown => {
    if (isObservable(result)) return result.pipe(catchError(onError(args)));
    if (isThenable(result)) return result.then(undefined, onError(args));
    return result;
  };
  const call = (args: unknown[]): unknown => {
    if (params.length === 0) return finish(callback.apply(instance, args), args);
    const handlerArgs = new Array<unknown>(parts.argsLength);
    for (let i = 0; i < params.length; i++) {
      const param = params[i]!;
      const value = applyPipesSync(param, param.extract(args[0], args[1]));
      if (value === NEEDS_ASYNC) {
        return resolveParamsAsync(params, args, handlerArgs, i).then((ready) => finish(callback.apply(instance, ready), args), onError(args));
      }
      handlerArgs[param.index] = value;
    }
    return finish(callback.apply(instance, handlerArgs), args);
  };

  return (data: unknown, context: unknown): unknown => {
    const args = [data, context];
    try {
      if (guards.length === 0) return call(args);
      const allowed = activateSync(guards, args, instance, callback);
      if (allowed === true) return call(args);
      return allowed.then(() => call(args)).then(undefined, onError(args));
    } catch (error) {
      return handleError(error, args);
    }
  };
}

/** Runs the pipes of a parameter while each finishes at once; `NEEDS_ASYNC` once one would not. */
function applyPipesSync(param: CompiledParam, value: unknown): unknown {
  if (isThenable(value)) return NEEDS_ASYNC;
  let result = value;
  for (const pipe of param.pipes) {
    if (!isSyncPipe(pipe)) return NEEDS_ASYNC;
    result = pipe.transformSync(result, param.metadata);
    if (result === NEEDS_ASYNC) return NEEDS_ASYNC;
  }
  return result;
}

/** The parameters from `from` on, each through all of its pipes as Nest runs them. */
async function resolveParamsAsync(params: CompiledParam[], args: unknown[], handlerArgs: unknown[], from: number): Promise<unknown[]> {
  for (let i = from; i < params.length; i++) {
    const param = params[i]!;
    let value = await param.extract(args[0], args[1]);
    for (const pipe of param.pipes) value = await pipe.transform(value, param.metadata);
    handlerArgs[param.index] = value;
  }
  return handlerArgs;
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

function isSyncPipe(pipe: PipeTransform): pipe is PipeTransform & SyncPipe {
  return typeof (pipe as Partial<SyncPipe>).transformSync === 'function';
}
