import { type DynamicModule, Module } from '@nestjs/common';
import { shopPlatform, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { ShopEventsGateway } from './events/shop-events.gateway.js';
import { OrdersHttpController } from './orders-http.controller.js';
import { ShopController } from './shop.controller.js';
import { UserStore } from './users/user.store.js';
import { UsersController } from './users/users.controller.js';

@Module({})
export class GatewayModule {
  /** The shop's front door: REST routes and a WebSocket feed over the services, and the login RPC. */
  static forRoot(config: ShopServiceConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: shopPlatform(config),
      controllers: [ShopController, OrdersHttpController, UsersController],
      providers: [UserStore, ShopEventsGateway],
    };
  }
}
