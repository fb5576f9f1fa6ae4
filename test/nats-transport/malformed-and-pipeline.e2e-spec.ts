import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ERROR_STATUS_HEADER, Rpc, RpcValidationPipe } from '@cliffracer/nats-transport';
import { callRpc, type NatsEndpoint, type TestApp } from '@cliffracer/testing';
import {
  type CallHandler,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  type NestInterceptor,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Payload, RpcException } from '@nestjs/microservices';
import { type NatsConnection } from '@nats-io/transport-node';
import { IsInt } from 'class-validator';
import { map, throwError } from 'rxjs';
import { startServiceWithRaw } from '../support/service-with-raw.js';

class CountDto {
  @IsInt() count!: number;
}

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(): boolean {
    throw new ForbiddenException('not for you');
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

@Controller()
class PipelineController {
  handled = 0;

  @Rpc()
  count(@Payload() dto: CountDto) {
    this.handled += 1;
    return dto.count;
  }

  @Rpc()
  @UseGuards(DenyGuard)
  guarded() {
    this.handled += 1;
    return 'should not run';
  }

  @Rpc()
  @UseInterceptors(WrapInterceptor)
  intercepted() {
    return 42;
  }

  @Rpc()
  @UseFilters(TeapotFilter)
  teapot() {
    throw new TeapotError('brew');
  }

  @Rpc()
  rpc_exception() {
    throw new RpcException({ message: 'legacy failure', code: 'LEGACY' });
  }
}

describe('NatsServer: bad input and the Nest pipeline', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let raw: NatsConnection;
  let stop: (() => Promise<void>) | undefined;
  let prefix: string;
  const controller = () => service.app.get(PipelineController);
  const target = () => ({ servers: nats.url, subjectPrefix: prefix });

  beforeAll(async () => {
    ({ nats, service, raw, prefix, close: stop } = await startServiceWithRaw({
      nats: { service: 'pipeline' },
      controllers: [PipelineController],
      logger: false,
      configure: (app) => app.useGlobalPipes(new RpcValidationPipe()),
    }));
  });

  afterAll(async () => {
    await stop?.();
  });

  async function rawRequest(body: string | Uint8Array) {
    const reply = await raw.request(`${prefix}.pipeline.count`, body, { timeout: 2000 });
    return { status: reply.headers?.get(ERROR_STATUS_HEADER), body: JSON.parse(new TextDecoder().decode(reply.data)) };
  }

  it.each([
    ['invalid JSON', '{"count": 1'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])],
    ['a __proto__ key', '{"count": 1, "__proto__": {"polluted": true}}'],
    ['an escaped __proto__ key', '{"count": 1, "\\u005f_proto__": {"polluted": true}}'],
    ['a constructor.prototype object', '{"count": 1, "nested": {"constructor": {"prototype": {"x": 1}}}}'],
  ])('replies BAD_PAYLOAD to %s without calling the handler', async (_name, body) => {
    const before = controller().handled;
    const reply = await rawRequest(body);
    expect(reply.status).toBe('400');
    expect(reply.body).toMatchObject({ name: 'MalformedPayloadError', code: 'BAD_PAYLOAD' });
    expect(controller().handled).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('replies VALIDATION_ERROR to wrong types without calling the handler', async () => {
    const before = controller().handled;
    const reply = await rawRequest('{"count": "many"}');
    expect(reply.status).toBe('400');
    expect(reply.body).toMatchObject({ name: 'ValidationError', code: 'VALIDATION_ERROR' });
    expect(controller().handled).toBe(before);
  });

  it('keeps serving after hostile input', async () => {
    await expect(callRpc(target(), 'pipeline', 'count', { count: 3 })).resolves.toBe(3);
  });

  it('runs guards: a guard that refuses gives FORBIDDEN and the handler does not run', async () => {
    const before = controller().handled;
    const error = await callRpc(target(), 'pipeline', 'guarded').catch((e: unknown) => e);
    expect(error).toMatchObject({ remoteName: 'ForbiddenException', code: 'FORBIDDEN', message: 'not for you' });
    expect(controller().handled).toBe(before);
  });

  it('runs interceptors around the handler', async () => {
    await expect(callRpc(target(), 'pipeline', 'intercepted')).resolves.toEqual({ wrapped: 42 });
  });

  it('lets a handler-level exception filter shape the error', async () => {
    const error = await callRpc(target(), 'pipeline', 'teapot').catch((e: unknown) => e);
    expect(error).toMatchObject({ remoteName: 'Teapot', code: 'TEAPOT', message: 'short and stout' });
  });

  it('carries an RpcException payload to the caller', async () => {
    const error = await callRpc(target(), 'pipeline', 'rpc_exception').catch((e: unknown) => e);
    expect(error).toMatchObject({ remoteName: 'RpcException', code: 'LEGACY', message: 'legacy failure' });
  });
});
