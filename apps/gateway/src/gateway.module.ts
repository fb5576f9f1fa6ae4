import { AuthModule, type AuthModuleOptions } from '@cliffracer/auth';
import { HttpFrontDoorModule } from '@cliffracer/http';
import { NatsTransportModule, type NatsTransportModuleOptions } from '@cliffracer/nats-transport';
import { type DynamicModule, Module } from '@nestjs/common';
import { GATEWAY_NATS_OPTIONS, ShopEventsGateway } from './events/shop-events.gateway.js';
import { ShopController } from './shop.controller.js';
import { UserStore } from './users/user.store.js';
import { UsersController } from './users/users.controller.js';

@Module({})
export class GatewayModule {
  /** The HTTP front door of the shop and its login RPC. */
  static forRoot(nats: NatsTransportModuleOptions, auth: AuthModuleOptions): DynamicModule {
    return {
      module: GatewayModule,
      imports: [NatsTransportModule.forRoot(nats), AuthModule.forRoot(auth), HttpFrontDoorModule.forRoot({ service: nats.service })],
      controllers: [ShopController, UsersController],
      providers: [UserStore, ShopEventsGateway, { provide: GATEWAY_NATS_OPTIONS, useValue: nats }],
    };
  }
}
