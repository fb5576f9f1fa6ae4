import { DebugLogger } from '@cliffracer/debug-logger';
import { Module } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { AUTH_FAILURES_FEED } from './auth.constants.js';
import { AuthFailures } from './auth.failures.js';
import { AUTH_OPTIONS, AuthConfigurableModule, NORMALIZED_AUTH_OPTIONS } from './auth.module-definition.js';
import { normalizeAuthOptions } from './auth.options.js';
import type { AuthModuleOptions, NormalizedAuthOptions } from './interfaces/auth-options.interface.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { TokenService } from './token.service.js';

/**
 * JWT authentication for every transport of a service: `TokenService` issues and verifies,
 * `JwtAuthGuard` guards RPC handlers, HTTP routes and WebSocket messages (globally unless
 * `globalGuard: false`). Global by default.
 *
 * @example
 * AuthModule.forRootAsync({ inject: [ConfigService], useFactory: (c) => ({ secret: c.get('JWT_SECRET'), issuer: 'shop', audience: 'shop' }) })
 */
@Module({
  providers: [
    { provide: NORMALIZED_AUTH_OPTIONS, inject: [AUTH_OPTIONS], useFactory: (options: AuthModuleOptions) => normalizeAuthOptions(options) },
    { provide: TokenService, inject: [NORMALIZED_AUTH_OPTIONS], useFactory: (options: NormalizedAuthOptions) => new TokenService(options) },
    { provide: AuthFailures, inject: [{ token: DebugLogger, optional: true }], useFactory: (debug?: DebugLogger) => new AuthFailures(debug) },
    { provide: AUTH_FAILURES_FEED, useExisting: AuthFailures },
    {
      provide: JwtAuthGuard,
      inject: [Reflector, TokenService, NORMALIZED_AUTH_OPTIONS, AuthFailures],
      useFactory: (reflector: Reflector, tokens: TokenService, options: NormalizedAuthOptions, failures: AuthFailures) =>
        new JwtAuthGuard(reflector, tokens, options, failures),
    },
    {
      provide: APP_GUARD,
      inject: [JwtAuthGuard, NORMALIZED_AUTH_OPTIONS],
      useFactory: (guard: JwtAuthGuard, options: NormalizedAuthOptions) => (options.globalGuard ? guard : { canActivate: () => true }),
    },
  ],
  exports: [TokenService, JwtAuthGuard, AuthFailures, AUTH_FAILURES_FEED],
})
export class AuthModule extends AuthConfigurableModule {}
