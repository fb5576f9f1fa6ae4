import { InvalidOptionsError } from '@cliffracer/common';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { MsgHdrs } from '@nats-io/transport-node';
import { MESSAGES } from '../nats-transport.messages.js';
import { callerHeaderOf, callerHeadersOf, isHeaderToken, isReservedHeader } from '../wire/caller-headers.js';

/** The NATS headers of the message being handled; none outside an `@Rpc`/`@Event` handler. */
function messageHeaders(ctx: ExecutionContext): MsgHdrs | undefined {
  if (ctx.getType() !== 'rpc') return undefined;
  const context = ctx.switchToRpc().getContext<{ getHeaders?: () => MsgHdrs | undefined } | undefined>();
  return typeof context?.getHeaders === 'function' ? context.getHeaders() : undefined;
}

// Built only when a handler asks for them: a message costs nothing extra otherwise.
const CallerHeaderParam = createParamDecorator<string, string | undefined>((name, ctx) => callerHeaderOf(messageHeaders(ctx), name));
const CallerHeadersParam = createParamDecorator<undefined, Record<string, string>>((_data, ctx) => callerHeadersOf(messageHeaders(ctx)));

/**
 * Injects the value of one header the caller sent (`client.call(..., { headers })`), looked up
 * whatever its casing; `undefined` when the message has none. A header sent more than once
 * gives its values joined with `, `. It is what the message carried, unchecked: treat it as
 * input. Reserved headers (`Authorization`, `X-Correlation-ID`, trace context, `Nats-*`,
 * `Cliffracer-*`) cannot be named: the framework reads them (`@CurrentUser()`,
 * `CorrelationContext`), and naming one, or a name no header can have, throws
 * `InvalidOptionsError` when the class loads. Outside a NATS handler (an HTTP route) it gives
 * `undefined`.
 *
 * @example
 * @Rpc()
 * list(@Payload() query: ListQuery, @CallerHeader('X-Tenant') tenant?: string) { ... }
 */
export function CallerHeader(name: string): ParameterDecorator {
  if (typeof name !== 'string' || !isHeaderToken(name)) throw new InvalidOptionsError('CallerHeader', MESSAGES.notHeaderName(name));
  if (isReservedHeader(name)) throw new InvalidOptionsError('CallerHeader', MESSAGES.reservedHeaderRead(name));
  return CallerHeaderParam(name);
}

/**
 * Injects every header the caller sent as a plain object keyed by lower-case name
 * (`{ 'x-tenant': 'acme' }`), reserved headers left out; `{}` when there are none, and outside
 * a NATS handler.
 *
 * @example
 * @Event('orders.events.created')
 * onCreated(@Payload() order: Order, @CallerHeaders() headers: Record<string, string>) { ... }
 */
export function CallerHeaders(): ParameterDecorator {
  return CallerHeadersParam();
}
