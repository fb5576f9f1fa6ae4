import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  NoRespondersError,
  RemoteError,
  Rpc,
  RpcTimeoutError,
  RpcValidationPipe,
  ValidationError,
} from '@cliffracer/nats-transport';
import { CliffracerError } from '@cliffracer/common';
import { callRpc, createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { IsInt, IsString, Min } from 'class-validator';
import { from } from 'rxjs';

class OrderNotFoundError extends CliffracerError {
  override readonly name = 'OrderNotFoundError';
  constructor(id: string) {
    super(`order not found: ${id}`, { code: 'ORDER_NOT_FOUND', data: { id } });
  }
}

class ReserveDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

@Controller()
class StockController {
  calls = 0;

  @Rpc()
  echo(@Payload() payload: unknown) {
    this.calls += 1;
    return { echoed: payload };
  }

  @Rpc('reserve')
  reserve(@Payload() dto: ReserveDto) {
    this.calls += 1;
    return { sku: dto.sku, reserved: dto.quantity, isDto: dto instanceof ReserveDto };
  }

  @Rpc()
  countdown(@Payload() payload: { from: number }) {
    // A Nest handler may answer with an Observable: its last value is the reply.
    return from(Array.from({ length: payload.from }, (_, i) => payload.from - i - 1));
  }

  @Rpc()
  find_order(@Payload() payload: { id: string }) {
    throw new OrderNotFoundError(payload.id);
  }

  @Rpc()
  total() {
    return { total: 10n };
  }

  @Rpc()
  crash() {
    throw new Error('database password is hunter2');
  }

  @Rpc({ timeoutMs: 100 })
  async slow() {
    await new Promise((r) => setTimeout(r, 1000));
    return 'late';
  }

  @Rpc()
  async sleep(@Payload() payload: { ms: number }) {
    await new Promise((r) => setTimeout(r, payload.ms));
    return 'done';
  }
}

describe('NatsServer and NatsClient: request/reply', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let prefix: string;
  const target = () => ({ servers: nats.url, subjectPrefix: prefix });

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    service = await createTestApp({
      nats: { service: 'stock', servers: nats.url, subjectPrefix: prefix },
      controllers: [StockController],
      logger: false,
      configure: (app) => app.useGlobalPipes(new RpcValidationPipe()),
    });
  });

  afterAll(async () => {
    await service?.close();
    await nats?.release();
  });

  it('answers a call with the handler result', async () => {
    await expect(callRpc(target(), 'stock', 'echo', { a: 1 })).resolves.toEqual({ echoed: { a: 1 } });
  });

  it('answers with the last value of a handler that returns an Observable', async () => {
    await expect(service.client.call('stock', 'countdown', { from: 3 })).resolves.toBe(0);
  });

  it('validates and transforms the payload into its DTO', async () => {
    await expect(callRpc(target(), 'stock', 'reserve', { sku: 'A-1', quantity: 2 })).resolves.toEqual({
      sku: 'A-1',
      reserved: 2,
      isDto: true,
    });
  });

  it('replies with a ValidationError naming each failing field', async () => {
    const error = await callRpc(target(), 'stock', 'reserve', { sku: 5, quantity: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const failures = (error as ValidationError).failures;
    expect(failures.map((f) => f.field).sort()).toEqual(['quantity', 'sku']);
    expect((error as ValidationError).code).toBe('VALIDATION_ERROR');
  });

  it('rebuilds a remote error with its name and code', async () => {
    const error = await callRpc(target(), 'stock', 'find_order', { id: 'o-9' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ remoteName: 'OrderNotFoundError', code: 'ORDER_NOT_FOUND', data: { id: 'o-9' } });
    expect((error as Error).message).toBe('order not found: o-9');
  });

  it('rebuilds a registered error class as that class', async () => {
    const error = await callRpc({ ...target(), errors: [OrderNotFoundError] }, 'stock', 'find_order', {
      id: 'o-1',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrderNotFoundError);
    expect(error).toMatchObject({ name: 'OrderNotFoundError', code: 'ORDER_NOT_FOUND', message: 'order not found: o-1' });
  });

  it('hides the message of an unexpected error behind InternalError', async () => {
    const error = await callRpc(target(), 'stock', 'crash').catch((e: unknown) => e);
    expect(error).toMatchObject({ remoteName: 'InternalError', code: 'INTERNAL', message: 'Internal server error' });
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('answers an error when the result cannot be sent as JSON, instead of leaving the caller waiting', async () => {
    const error = await callRpc(target(), 'stock', 'total').catch((e: unknown) => e);
    expect(error).toMatchObject({ remoteName: 'InternalError', code: 'INTERNAL' });
  });

  it('fails with RpcTimeoutError when the handler overruns its own timeout', async () => {
    const error = await callRpc(target(), 'stock', 'slow').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as RpcTimeoutError).data).toMatchObject({ side: 'handler', timeoutMs: 100 });
  });

  it('fails with RpcTimeoutError when the caller stops waiting', async () => {
    const started = Date.now();
    const error = await callRpc(target(), 'stock', 'sleep', { ms: 500 }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as Error).message).toBe(`rpc timed out after 100ms: ${prefix}.stock.sleep`);
    expect(Date.now() - started).toBeLessThan(450);
  });

  it('fails with NoRespondersError at once when nothing listens', async () => {
    const started = Date.now();
    const error = await callRpc(target(), 'nobody', 'home', {}, { timeoutMs: 3000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoRespondersError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
