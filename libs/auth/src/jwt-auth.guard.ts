import { CorrelationContext } from '@cliffracer/correlation';
import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { WsException } from '@nestjs/websockets';
import { setUser, tokenOf } from './auth-carrier.js';
import { AUTHORIZATION_HEADER, IS_PUBLIC_KEY, PERMISSIONS_KEY, ROLES_KEY } from './auth.constants.js';
import type { AuthFailures } from './auth.failures.js';
import { ForbiddenError } from './errors/forbidden.error.js';
import { UnauthorizedError } from './errors/unauthorized.error.js';
import type { NormalizedAuthOptions } from './interfaces/auth-options.interface.js';
import type { AuthUser } from './interfaces/auth-user.interface.js';
import type { TokenService } from './token.service.js';

/**
 * One guard for RPC handlers (token in the NATS `Authorization` header), HTTP routes
 * (`Authorization: Bearer`) and WebSocket messages. Lets `@Public()` handlers through, checks
 * `@Roles()` and `@Permissions()`, makes the user available to `@CurrentUser()`, and has
 * nested calls carry the token. Refusals are `UnauthorizedError` / `ForbiddenError` over NATS
 * and 401 / 403 over HTTP, never a 500. An unauthenticated caller is told only "unauthorized";
 * the reason is logged (`AuthFailures`), and sent too with `revealFailureReasons`.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly options: NormalizedAuthOptions,
    private readonly failures: AuthFailures,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true;
    let token: string | undefined;
    let user: AuthUser;
    try {
      token = tokenOf(context);
      if (isPublic && token === undefined) return true;
      user = await this.tokens.verify(token);
    } catch (error) {
      // A public handler serves a caller with a bad token as it serves one without.
      if (isPublic) return true;
      const reason = (error instanceof UnauthorizedError ? error.reason : undefined) ?? 'malformed token';
      this.failures.record(reason, context.getType(), this.operation(context));
      // Why a token failed helps whoever forges one; the caller learns it only when asked for.
      throw this.refusal(context, new UnauthorizedError(this.options.revealFailureReasons ? reason : undefined));
    }
    setUser(context, user);
    if (this.options.forwardToken) CorrelationContext.forward(AUTHORIZATION_HEADER, `Bearer ${token}`);
    const missing = this.missing(user, targets);
    if (missing.length > 0) {
      this.failures.record('forbidden', context.getType(), this.operation(context));
      throw this.refusal(context, new ForbiddenError(missing));
    }
    return true;
  }

  private missing(user: AuthUser, targets: Array<Function>): string[] {
    const roles = this.reflector.getAllAndMerge<string[]>(ROLES_KEY, targets) ?? [];
    const permissions = this.reflector.getAllAndMerge<string[]>(PERMISSIONS_KEY, targets) ?? [];
    return [
      ...roles.filter((role) => !user.roles.includes(role)).map((role) => `role ${role}`),
      ...permissions.filter((p) => !user.permissions.includes(p)).map((p) => `permission ${p}`),
    ];
  }

  // HTTP answers with its own status codes, WebSocket with an `exception` event carrying the
  // code; NATS carries the typed error.
  private refusal(context: ExecutionContext, error: UnauthorizedError | ForbiddenError): Error {
    if (context.getType() === 'ws') return new WsException({ status: 'error', code: error.code, message: error.message });
    if (context.getType() !== 'http') return error;
    return error instanceof ForbiddenError
      ? new ForbiddenException({ statusCode: 403, error: 'Forbidden', code: error.code, message: error.message })
      : new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', code: error.code, message: error.message });
  }

  private operation(context: ExecutionContext): string {
    return `${context.getClass().name}.${context.getHandler().name}`;
  }
}
