import { InvalidOptionsError } from '@cliffracer/common';
import { MessagePattern } from '@nestjs/microservices';
import { RPC_HANDLER_KIND } from '../nats-transport.constants.js';
import { resolvePayloadLimits } from '../nats-transport.limits.js';
import { MESSAGES } from '../nats-transport.messages.js';
import type { HandlerConcurrency, RpcMetadata, RpcOptions } from '../interfaces/handler-metadata.interface.js';
import { isValidToken } from '../subjects.js';

/**
 * Marks a method as an RPC handler answering on `<service>.<name>` (name defaults to the
 * method's). Instances of the service share requests through a queue group. Guards, pipes,
 * interceptors and exception filters apply as on any Nest message handler.
 *
 * @example
 * @Rpc()                                  // inventory.get_stock
 * get_stock(@Payload() dto: StockQuery) { ... }
 *
 * @Rpc('reserve', { timeoutMs: 2000 })    // inventory.reserve
 * reserveItems(@Payload() dto: Reservation) { ... }
 *
 * @Rpc({ maxConcurrent: 8, maxQueued: 32 }) // a compartment of its own: 8 at once, 32 waiting
 * export_report(@Payload() dto: ReportQuery) { ... }
 */
export function Rpc(name?: string, options?: RpcOptions): MethodDecorator;
export function Rpc(options: RpcOptions): MethodDecorator;
export function Rpc(nameOrOptions?: string | RpcOptions, maybeOptions: RpcOptions = {}): MethodDecorator {
  return (target, key, descriptor) => {
    const name = typeof nameOrOptions === 'string' ? nameOrOptions : String(key);
    const options = typeof nameOrOptions === 'object' ? nameOrOptions : maybeOptions;
    if (!isValidToken(name)) throw new InvalidOptionsError('Rpc', MESSAGES.invalidRpcName(name));
    const { timeoutMs, limits } = options;
    if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
      throw new InvalidOptionsError('Rpc', `timeoutMs must be a positive whole number, got ${timeoutMs}`);
    }
    if (limits !== undefined) resolvePayloadLimits('Rpc', limits);
    const concurrency = handlerConcurrency(name, options);
    const metadata: RpcMetadata = { kind: RPC_HANDLER_KIND, timeoutMs, ...(limits && { limits }), ...(concurrency && { concurrency }) };
    return MessagePattern(name, metadata as unknown as Record<string, unknown>)(target, key, descriptor);
  };
}

function handlerConcurrency(name: string, { maxConcurrent, maxQueued }: RpcOptions): HandlerConcurrency | undefined {
  if (maxConcurrent === undefined) {
    if (maxQueued !== undefined) throw new InvalidOptionsError('Rpc', MESSAGES.queuedNeedsConcurrent(name));
    return undefined;
  }
  if (!Number.isInteger(maxConcurrent) || maxConcurrent <= 0) throw new InvalidOptionsError('Rpc', MESSAGES.invalidConcurrency(name, 'maxConcurrent', maxConcurrent));
  if (maxQueued !== undefined && (!Number.isInteger(maxQueued) || maxQueued < 0)) throw new InvalidOptionsError('Rpc', MESSAGES.invalidConcurrency(name, 'maxQueued', maxQueued));
  return { maxConcurrent, maxQueued: maxQueued ?? 0 };
}
