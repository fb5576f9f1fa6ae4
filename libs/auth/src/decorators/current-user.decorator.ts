import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { userOf } from '../auth-carrier.js';

/**
 * The authenticated user of the request, RPC message or WebSocket client the handler serves
 * (`undefined` on a `@Public()` handler called without a token).
 *
 * @example
 * @Rpc() mine(@CurrentUser() user: AuthUser) { return this.orders.of(user.sub); }
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => userOf(context));
