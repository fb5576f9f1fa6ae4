import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Rpc, RpcValidationPipe } from '@cliffracer/nats-transport';
import { CapturingLogger, type TestApp } from '@cliffracer/testing';
import {
  type ArgumentMetadata,
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  createParamDecorator,
  type ExceptionFilter,
  type ExecutionContext,
  Inject,
  Injectable,
  type PipeTransform,
  Scope,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import { APP_GUARD, APP_PIPE, INQUIRER } from '@nestjs/core';
import { Ctx, NatsContext, Payload, RpcException } from '@nestjs/microservices';
import { IsString } from 'class-validator';
import { EMPTY, from, of, throwError } from 'rxjs';
import { isCompiled, onNestPipeline, routesOf } from '../support/compiled-routes.js';
import { type ServiceWithRawOptions, startServiceWithRaw } from '../support/service-with-raw.js';

/** Every guard, pipe, decorator and filter call of the current call, in order. */
const trace: string[] = [];

type Payloadish = Record<string, unknown> | undefined;
const dataOf = (context: ExecutionContext): Payloadish => context.switchToRpc().getData() as Payloadish;

/** Answers the way the caller's `guard` field says: every shape a guard may answer in. */
@Injectable()
class ModeGuard {
  canActivate(context: ExecutionContext): unknown {
    const mode = dataOf(context)?.guard;
    trace.push(`guard:${String(mode)}`);
    switch (mode) {
      case 'truthy':
        return 1;
      case 'object':
        return {};
      case 'zero':
        return 0;
      case 'async':
        return Promise.resolve(true);
      case 'obs-false':
        return of(false);
      case 'obs-empty':
        return EMPTY;
      case 'obs-many':
        return from([false, true]);
      case 'throw-string':
        throw 'guard threw a string';
      case 'reject-object':
        return Promise.reject({ reason: 'guard rejected an object' });
      default:
        return true;
    }
  }
}

/** Global guard bound through `APP_GUARD`: runs before every other guard. */
@Injectable()
class AppGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    trace.push('app-guard');
    return dataOf(context)?.app !== 'deny';
  }
}

/** Global guard bound through `useGlobalGuards`. */
class GlobalGuard implements CanActivate {
  canActivate(): boolean {
    trace.push('global-guard');
    return true;
  }
}

/** A transient guard, told which class it serves. */
@Injectable({ scope: Scope.TRANSIENT })
class InquirerGuard implements CanActivate {
  constructor(@Inject(INQUIRER) private readonly parent: object | undefined) {}

  canActivate(): boolean {
    trace.push(`inquirer-guard:${this.parent?.constructor?.name ?? 'none'}`);
    return true;
  }
}

/** A pipe that records the calls it gets, answers at once, and throws on `'boom'`. */
function tracing(name: string): PipeTransform {
  return {
    transform(value: unknown, metadata: ArgumentMetadata) {
      trace.push(`${name}:${metadata.type}:${String(metadata.data)}`);
      if (value === 'boom') throw new RpcException({ message: `${name} refused`, code: 'PIPE' });
      if (value === 'boom-string') throw `${name} threw a string`;
      return value;
    },
  };
}

/** The same, a tick later. */
function tracingLater(name: string): PipeTransform {
  return {
    async transform(value: unknown, metadata: ArgumentMetadata) {
      trace.push(`${name}:${metadata.type}:${String(metadata.data)}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (value === 'late-boom') throw new RpcException({ message: `${name} refused later`, code: 'PIPE' });
      return value;
    },
  };
}

/** Global pipe bound through `APP_PIPE`. */
@Injectable()
class AppPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata) {
    trace.push(`app-pipe:${metadata.type}`);
    return value;
  }
}

/** A validation pipe with a rule of its own in `transform`. */
class StrictValidationPipe extends RpcValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    trace.push('strict-pipe');
    if (value === 'admin' || (value as Payloadish)?.admin === true) throw new RpcException({ message: 'admin is not for callers', code: 'STRICT' });
    return super.transform(value, metadata);
  }
}

class NoteDto {
  @IsString() text!: string;
}

const Field = createParamDecorator((field: string, context: ExecutionContext) => {
  trace.push(`extract:${field}`);
  return (context.switchToRpc().getData() as Payloadish)?.[field];
});

const FieldLater = createParamDecorator(async (field: string, context: ExecutionContext) => {
  trace.push(`extract-later:${field}`);
  await Promise.resolve();
  return (context.switchToRpc().getData() as Payloadish)?.[field];
});

class TeapotError extends Error {}

/** Records what it caught and answers with its own error. */
@Catch(TeapotError)
class TeapotFilter implements ExceptionFilter {
  catch(error: TeapotError) {
    trace.push(`teapot-filter:${error.message}`);
    return throwError(() => new RpcException({ message: `teapot: ${error.message}`, code: 'TEAPOT' }));
  }
}

/** Catches everything and throws while handling it. */
@Catch()
class ThrowingFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost) {
    trace.push(`throwing-filter:${host.getType()}:${error instanceof Error ? error.message : String(error)}`);
    throw new RpcException({ message: 'the filter itself failed', code: 'FILTER' });
  }
}

/** Answers with a plain value instead of an Observable. */
@Catch(TeapotError)
class ValueFilter implements ExceptionFilter {
  catch(error: TeapotError) {
    trace.push(`value-filter:${error.message}`);
    return { recovered: error.message };
  }
}

@Controller()
class AdversarialController {
  @Rpc()
  @UseGuards(ModeGuard)
  guarded() {
    trace.push('handler');
    return 'in';
  }

  @Rpc()
  @UseFilters(TeapotFilter)
  async promised_failing_observable() {
    return throwError(() => new TeapotError('late'));
  }

  @Rpc()
  async promised_stream() {
    return from(['a', 'b', 'c']);
  }

  @Rpc()
  @UsePipes(tracingLater('later'))
  @UseFilters(TeapotFilter)
  sync_throw_after_async_pipe(@Payload() _payload: unknown) {
    throw new TeapotError('after the pipe');
  }

  @Rpc()
  @UseGuards(ModeGuard)
  @UseFilters(ThrowingFilter)
  filter_throws(@Payload() payload: Payloadish) {
    if (payload?.handler === 'string') throw 'handler threw a string';
    if (payload?.handler === 'reject') return Promise.reject(new TeapotError('rejected for the filter'));
    throw new TeapotError('for the filter');
  }

  @Rpc()
  @UseFilters(ValueFilter)
  filter_value(@Payload() payload: Payloadish) {
    if (payload?.shape === 'promise') return Promise.reject(new TeapotError('promise'));
    if (payload?.shape === 'observable') return throwError(() => new TeapotError('observable'));
    throw new TeapotError('sync');
  }

  @Rpc()
  @UsePipes(tracingLater('later'))
  decorated(@Field('a') a: unknown, @Payload('b') b: unknown) {
    return { a, b };
  }

  @Rpc()
  decorated_later(@FieldLater('a') a: unknown, @Field('b') b: unknown) {
    return { a, b };
  }

  @Rpc()
  two_params(@Payload('a', tracing('a1'), tracingLater('a2')) a: unknown, @Payload('b', tracing('b1')) b: unknown) {
    return { a, b };
  }

  @Rpc()
  first_fails_second_runs(@Payload('a', tracing('a1')) a: unknown, @Payload('b', tracingLater('b1')) b: unknown) {
    return { a, b };
  }

  @Rpc()
  @UsePipes(new StrictValidationPipe())
  strict(@Payload() note: NoteDto) {
    return { text: note.text, admin: (note as unknown as Payloadish)?.admin ?? null };
  }

  @Rpc()
  strict_text(@Payload('text', new StrictValidationPipe()) text: string) {
    return text;
  }

  @Rpc()
  with_context(@Payload('n') n: unknown, @Ctx() context: NatsContext) {
    return { n: n ?? null, context: context instanceof NatsContext };
  }

  @Rpc()
  throws(@Payload() payload: Payloadish) {
    if (payload?.what === 'string') throw 'a string';
    if (payload?.what === 'object') throw { name: 'Sneaky', message: 'looks like a wire error', code: 'SNEAKY' };
    if (payload?.what === 'null') throw null;
    return Promise.reject('a rejected string');
  }

  @Rpc()
  returns(@Payload() payload: Payloadish) {
    switch (payload?.what) {
      case 'null':
        return null;
      case 'empty':
        return EMPTY;
      case 'never-promise':
        return Promise.resolve(of(1, 2));
      default:
        return undefined;
    }
  }

  @Rpc()
  @UseGuards(InquirerGuard)
  transient() {
    return 'ok';
  }
}

/** Handlers declared on a base class, served by a controller that inherits them. */
@UseGuards(ModeGuard)
abstract class BaseHandlers {
  @Rpc()
  inherited(@Payload('x', tracing('inherited-pipe')) x: unknown) {
    return { x: x ?? null, by: this.constructor.name };
  }
}

@Controller()
class InheritingController extends BaseHandlers {}

/** Every call of the comparison: method and payload. */
const CALLS: Array<[string, unknown]> = [
  ['guarded', {}],
  ['guarded', { guard: 'truthy' }],
  ['guarded', { guard: 'object' }],
  ['guarded', { guard: 'zero' }],
  ['guarded', { guard: 'async' }],
  ['guarded', { guard: 'obs-false' }],
  ['guarded', { guard: 'obs-empty' }],
  ['guarded', { guard: 'obs-many' }],
  ['guarded', { guard: 'throw-string' }],
  ['guarded', { guard: 'reject-object' }],
  ['guarded', { app: 'deny' }],
  ['promised_failing_observable', undefined],
  ['promised_stream', undefined],
  ['sync_throw_after_async_pipe', {}],
  ['filter_throws', {}],
  ['filter_throws', { guard: 'async' }],
  ['filter_throws', { guard: 'async', handler: 'string' }],
  ['filter_throws', { guard: 'async', handler: 'reject' }],
  ['filter_value', {}],
  ['filter_value', { shape: 'promise' }],
  ['filter_value', { shape: 'observable' }],
  ['decorated', { a: 1, b: 2 }],
  ['decorated_later', { a: 1, b: 2 }],
  ['two_params', { a: 1, b: 2 }],
  ['two_params', { a: 'late-boom', b: 'boom' }],
  ['first_fails_second_runs', { a: 'boom', b: 2 }],
  ['first_fails_second_runs', { a: 'boom-string', b: 2 }],
  ['strict', { text: 'hi' }],
  ['strict', { text: 'hi', admin: true }],
  ['strict', { text: 3 }],
  ['strict_text', { text: 'hi' }],
  ['strict_text', { text: 'admin' }],
  ['with_context', { n: 1 }],
  ['throws', { what: 'string' }],
  ['throws', { what: 'object' }],
  ['throws', { what: 'null' }],
  ['throws', {}],
  ['returns', {}],
  ['returns', { what: 'null' }],
  ['returns', { what: 'empty' }],
  ['returns', { what: 'never-promise' }],
  ['transient', {}],
  ['inherited', { x: 'y' }],
  ['inherited', { x: 'y', guard: 'zero' }],
];

/** Two setups: global enhancers of every kind, and the usual one (only a global validation pipe). */
const SETUPS: Array<[string, Pick<ServiceWithRawOptions, 'providers' | 'configure'>]> = [
  [
    'with global guards and pipes from providers and from the app',
    {
      providers: [
        { provide: APP_GUARD, useClass: AppGuard },
        { provide: APP_PIPE, useClass: AppPipe },
      ],
      configure: (app) => app.useGlobalGuards(new GlobalGuard()),
    },
  ],
  ['with a global validation pipe only', { configure: (app) => app.useGlobalPipes(new RpcValidationPipe()) }],
];

describe.each(SETUPS)('compiled handler pipelines, adversarial calls, %s', (_name, setup) => {
  let service: TestApp;
  let stop: (() => Promise<void>) | undefined;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    ({ service, close: stop } = await startServiceWithRaw({
      nats: { service: 'adversarial' },
      controllers: [AdversarialController, InheritingController],
      logger,
      ...setup,
    }));
  });

  afterAll(async () => {
    await stop?.();
  });

  /** Each call's answer, what ran for it, and the first line of what it logged. */
  async function outcomes(): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const [method, payload] of CALLS) {
      trace.length = 0;
      logger.lines.length = 0;
      const answer = await service.client.call('adversarial', method, payload).then(
        (value) => ({ value }),
        (error: { name: string; code?: string; message: string; remoteName?: string }) => ({ error: { name: error.name, remoteName: error.remoteName, code: error.code, message: error.message } }),
      );
      results.push({ call: [method, payload], answer, trace: [...trace], logs: logger.lines.map((line) => line.split('\n')[0]!.replace(/correlation [^)]+/, 'correlation *')) });
    }
    return results;
  }

  it('compiles every handler of these controllers', () => {
    const nest = routesOf(service.server).filter((r) => !isCompiled(r)).map((r) => r.subject);
    expect(nest).toEqual([]);
  });

  it("answers, runs and logs every call exactly as Nest's own pipeline does", async () => {
    const fast = await outcomes();
    const nest = await onNestPipeline(service.server, outcomes);
    const differing = fast.flatMap((outcome, i) => (JSON.stringify(outcome) === JSON.stringify(nest[i]) ? [] : [{ compiled: outcome, nest: nest[i] }]));
    expect(differing).toEqual([]);
    // The comparison is worth something only if the calls did what they are meant to.
    const answer = (method: string, payload?: unknown) => (fast[CALLS.findIndex(([m, p]) => m === method && JSON.stringify(p) === JSON.stringify(payload))] as { answer: unknown }).answer;
    expect(answer('promised_failing_observable')).toMatchObject({ error: { code: 'TEAPOT' } });
    expect(answer('sync_throw_after_async_pipe', {})).toMatchObject({ error: { code: 'TEAPOT' } });
    expect(answer('filter_value', {})).toEqual({ value: { recovered: 'sync' } });
    expect(answer('strict_text', { text: 'admin' })).toMatchObject({ error: { code: 'STRICT' } });
    expect(answer('guarded', { guard: 'obs-false' })).toMatchObject({ error: { message: 'Forbidden resource' } });
  });
});
