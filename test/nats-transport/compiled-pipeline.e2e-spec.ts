import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CorrelationContext } from '@cliffracer/correlation';
import { CallerHeader, Event, Rpc, RpcValidationPipe } from '@cliffracer/nats-transport';
import type { TestApp } from '@cliffracer/testing';
import {
  type ArgumentMetadata,
  type CallHandler,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  HttpException,
  Injectable,
  type NestInterceptor,
  ParseIntPipe,
  type PipeTransform,
  Scope,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
} from '@nestjs/common';
import { Ctx, NatsContext, Payload, RpcException } from '@nestjs/microservices';
import { IsInt, IsString, Min } from 'class-validator';
import { from, map, of, throwError } from 'rxjs';
import { isCompiled, onNestPipeline, routesOf } from '../support/compiled-routes.js';
import { startServiceWithRaw } from '../support/service-with-raw.js';

class OrderDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

/** Says yes or no the way a guard may: at once, later, or as an Observable. */
@Injectable()
class AnswerGuard implements CanActivate {
  canActivate(context: ExecutionContext) {
    const payload = context.switchToRpc().getData() as { allow?: 'sync' | 'promise' | 'observable' | 'no' | 'throw' };
    switch (payload?.allow) {
      case 'sync':
        return true;
      case 'promise':
        return Promise.resolve(true);
      case 'observable':
        return of(true);
      case 'throw':
        throw new HttpException('guard said so', 418);
      default:
        return Promise.resolve(false);
    }
  }
}

/** A pipe that takes its time: every pipe after it, and the handler, wait for it. */
@Injectable()
class SlowUpperPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return metadata.type === 'body' && typeof value === 'object' && value !== null ? { ...value, sku: String((value as OrderDto).sku).toUpperCase() } : value;
  }
}

@Injectable()
class WrapInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(map((value) => ({ wrapped: value })));
  }
}

class TeapotError extends Error {}

@Catch(TeapotError)
class TeapotFilter implements ExceptionFilter {
  catch() {
    return throwError(() => ({ name: 'Teapot', message: 'short and stout', code: 'TEAPOT' }));
  }
}

const events: string[] = [];

/** What the test reads of the server's routes: Nest's handler, and what runs a message. */
@Controller()
class CompiledController {
  @Rpc()
  order(@Payload() dto: OrderDto) {
    return { sku: dto.sku, quantity: dto.quantity, isDto: dto instanceof OrderDto };
  }

  @Rpc()
  @UseGuards(AnswerGuard)
  guarded(@Payload() payload: { allow: string }) {
    return `ran after ${payload.allow}`;
  }

  @Rpc()
  @UsePipes(SlowUpperPipe)
  slow_pipe(@Payload() dto: OrderDto) {
    return dto.sku;
  }

  @Rpc()
  param(@Payload('n', ParseIntPipe) n: number, @CallerHeader('x-tenant') tenant: string | undefined, @Ctx() context: NatsContext) {
    return { n, tenant: tenant ?? null, subject: context.getSubject().endsWith('.param') };
  }

  @Rpc()
  later() {
    return new Promise((resolve) => setTimeout(() => resolve({ correlationId: CorrelationContext.currentId() }), 2));
  }

  @Rpc()
  stream() {
    return from([1, 2, 3]);
  }

  @Rpc()
  failing_stream() {
    return throwError(() => new RpcException({ message: 'stream broke', code: 'STREAM' }));
  }

  @Rpc()
  async rejects() {
    await Promise.resolve();
    throw new HttpException('gone away', 410);
  }

  @Rpc()
  @UseFilters(TeapotFilter)
  teapot() {
    throw new TeapotError('brew');
  }

  @Rpc()
  internal() {
    throw new Error('connection string postgres://secret@db');
  }

  @Rpc()
  @UseInterceptors(WrapInterceptor)
  intercepted() {
    return 42;
  }

  @Event('compiled.seen')
  seen(@Payload() dto: OrderDto) {
    events.push(`compiled:${dto.sku}:${CorrelationContext.currentId()}`);
  }

  @Event('compiled.twice')
  first(@Payload() dto: OrderDto) {
    events.push(`first:${dto.sku}`);
  }

  @Event('compiled.twice')
  second(@Payload() dto: OrderDto) {
    events.push(`second:${dto.sku}`);
  }
}

@Controller({ scope: Scope.REQUEST })
class RequestScopedController {
  @Rpc('scoped')
  scoped(@Payload() dto: OrderDto) {
    return dto.quantity * 2;
  }
}

/** Every call of the comparison, with what it sends. */
const CALLS: Array<[string, unknown, Record<string, string>?]> = [
  ['order', { sku: 'kb', quantity: 2, extra: 'stripped' }],
  ['order', { sku: 'kb', quantity: 0 }],
  ['order', { sku: 42 }],
  ['order', undefined],
  ['guarded', { allow: 'sync' }],
  ['guarded', { allow: 'promise' }],
  ['guarded', { allow: 'observable' }],
  ['guarded', { allow: 'no' }],
  ['guarded', { allow: 'throw' }],
  ['slow_pipe', { sku: 'kb', quantity: 1 }],
  ['slow_pipe', { sku: 'kb', quantity: -1 }],
  ['param', { n: '17' }, { 'x-tenant': 'acme' }],
  ['param', { n: 'seventeen' }],
  ['stream', undefined],
  ['failing_stream', undefined],
  ['rejects', undefined],
  ['teapot', undefined],
  ['internal', undefined],
  ['intercepted', undefined],
  ['scoped', { sku: 'kb', quantity: 4 }],
];

describe('compiled handler pipelines', () => {
  let service: TestApp;
  let stop: (() => Promise<void>) | undefined;
  const compiled = (suffix: string) => isCompiled(routesOf(service.server).find((r) => r.subject.endsWith(suffix))!);

  beforeAll(async () => {
    ({ service, close: stop } = await startServiceWithRaw({
      nats: { service: 'compiled' },
      controllers: [CompiledController, RequestScopedController],
      logger: false,
      configure: (app) => app.useGlobalPipes(new RpcValidationPipe()),
    }));
  });

  afterAll(async () => {
    await stop?.();
  });

  async function outcomes(): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const [method, payload, headers] of CALLS) {
      results.push(
        await service.client.call('compiled', method, payload, { headers }).then(
          (value) => ({ value }),
          (error: { name: string; code?: string; message: string; remoteName?: string }) => ({ error: { name: error.name, remoteName: error.remoteName, code: error.code, message: error.message } }),
        ),
      );
    }
    return results;
  }

  it('compiles handlers with guards, pipes, parameter decorators and filters; leaves interceptors, request scope and shared event patterns to Nest', () => {
    for (const suffix of ['.order', '.guarded', '.slow_pipe', '.param', '.later', '.stream', '.rejects', '.teapot', '.internal', 'compiled.seen']) {
      expect([suffix, compiled(suffix)]).toEqual([suffix, true]);
    }
    for (const suffix of ['.intercepted', '.scoped', 'compiled.twice']) expect([suffix, compiled(suffix)]).toEqual([suffix, false]);
  });

  it("answers every call exactly as Nest's own pipeline does", async () => {
    const fast = await outcomes();
    const nest = await onNestPipeline(service.server, outcomes);
    expect(fast).toEqual(nest);
    // The comparison is worth something only if the calls did what they are meant to.
    expect(fast[0]).toEqual({ value: { sku: 'kb', quantity: 2, isDto: true } });
    expect(fast[1]).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(fast.slice(4, 9)).toEqual([
      { value: 'ran after sync' },
      { value: 'ran after promise' },
      { value: 'ran after observable' },
      { error: expect.objectContaining({ remoteName: 'RpcException', message: 'Forbidden resource' }) },
      { error: expect.objectContaining({ message: 'guard said so' }) },
    ]);
    expect(fast[9]).toEqual({ value: 'KB' });
    expect(fast[11]).toEqual({ value: { n: 17, tenant: 'acme', subject: true } });
    expect(fast[12]).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(fast[13]).toEqual({ value: 3 });
    expect(fast[14]).toMatchObject({ error: { code: 'STREAM', message: 'stream broke' } });
    expect(fast[15]).toMatchObject({ error: { message: 'gone away' } });
    expect(fast[16]).toMatchObject({ error: { code: 'TEAPOT' } });
    expect(fast[17]).toMatchObject({ error: { code: 'INTERNAL' } });
    expect(JSON.stringify(fast[17])).not.toContain('secret');
    expect(fast[18]).toEqual({ value: { wrapped: 42 } });
    expect(fast[19]).toEqual({ value: 8 });
  });

  it("keeps the caller's correlation ID across the handler's awaits", async () => {
    const reply = await CorrelationContext.run('compiled-corr-1', () => service.client.call<{ correlationId: string }>('compiled', 'later'));
    expect(reply.correlationId).toBe('compiled-corr-1');
  });

  it('delivers events through the compiled pipeline, and to every handler of a shared pattern', async () => {
    events.length = 0;
    await CorrelationContext.run('compiled-corr-2', async () => {
      await service.client.emit('compiled.seen', { sku: 'kb', quantity: 1 });
      await service.client.emit('compiled.twice', { sku: 'mouse', quantity: 1 });
    });
    const deadline = Date.now() + 5000;
    while (events.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events.sort()).toEqual(['compiled:kb:compiled-corr-2', 'first:mouse', 'second:mouse']);
  });
});
