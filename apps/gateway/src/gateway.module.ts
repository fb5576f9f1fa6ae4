import { type DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { shopPlatform, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { ShopEventsGateway } from './events/shop-events.gateway.js';
import { OrdersHttpController } from './orders-http.controller.js';
import { ShopController } from './shop.controller.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits, loginThrottlers } from './users/login-limits.js';
import { LoginService } from './users/login.service.js';
import { UserStore } from './users/user.store.js';
import { UsersController } from './users/users.controller.js';

@Module({})
export class GatewayModule {
  /** The shop's front door: REST routes and a WebSocket feed over the services, and the login RPC, logins within `login` limits. */
  static forRoot(config: ShopServiceConfig, login: LoginLimits = DEFAULT_LOGIN_LIMITS): DynamicModule {
    return {
      module: GatewayModule,
      imports: [...shopPlatform(config), ThrottlerModule.forRoot({ throttlers: loginThrottlers(login) })],
      controllers: [ShopController, OrdersHttpController, UsersController],
      providers: [UserStore, LoginService, ShopEventsGateway],
    };
  }
}
