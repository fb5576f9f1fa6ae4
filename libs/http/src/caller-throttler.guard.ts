import { CorrelationContext } from '@cliffracer/correlation';
import { type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { callerAddressOf } from './caller-trackers.js';
import { TooManyRequestsError } from './errors/too-many-requests.error.js';
import { rpcRequestOf, type ThrottledRequest } from './throttled-request.js';

// A NATS reply has no headers for a throttler to set; the limit travels in the error instead.
const NO_RESPONSE_HEADERS = {};

/**
 * `@nestjs/throttler`'s guard for HTTP routes and `@Rpc` handlers alike. Over HTTP it counts
 * per client address as the fastify door sees it (`request.ip`: the socket's address, or the
 * one `X-Forwarded-For` names when the door trusts the proxy: `trustProxy`), over NATS per the
 * trusted `X-Client-Address` or as one caller, `nats` (see `addressTracker`); throttlers with
 * their own `getTracker` (`userNameTracker`) count otherwise. Past a limit it refuses with
 * `TooManyRequestsError` (`TOO_MANY_REQUESTS`) over NATS and 429 with `Retry-After` over HTTP,
 * before pipes and the handler run. WebSocket messages pass unthrottled.
 *
 * @example
 * ThrottlerModule.forRoot({ throttlers: [
 *   { name: 'address', ttl: 60_000, limit: 30, getTracker: addressTracker() },
 *   { name: 'user', ttl: 60_000, limit: 10, getTracker: userNameTracker({ field: 'username' }) },
 * ] })
 * // on the login route and RPC:
 * @UseGuards(CallerThrottlerGuard)
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const type = context.getType();
    return type !== 'http' && type !== 'rpc';
  }

  protected override getRequestResponse(context: ExecutionContext): { req: Record<string, any>; res: Record<string, any> } {
    if (context.getType() === 'rpc') return { req: rpcRequestOf(context), res: NO_RESPONSE_HEADERS };
    return super.getRequestResponse(context);
  }

  protected override async getTracker(req: Record<string, any>, context?: ExecutionContext): Promise<string> {
    return callerAddressOf(req as ThrottledRequest, context, { ipv6SubnetPrefix: this.ipv6SubnetPrefix });
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const refusal = new TooManyRequestsError(Math.max(1, detail.timeToBlockExpire));
    if (context.getType() !== 'http') throw refusal;
    this.setResponseHeader(this.getRequestResponse(context).res, 'Retry-After', refusal.retryAfterSec);
    // Guards run before interceptors, so the answer is shaped here as the HTTP door shapes errors.
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        code: refusal.code,
        message: refusal.message,
        data: refusal.data,
        correlationId: CorrelationContext.currentId(),
      },
      HttpStatus.TOO_MANY_REQUESTS,
      { cause: refusal },
    );
  }
}
