import { NatsTransportModule, type NatsTransportModuleOptions } from '@cliffracer/nats-transport';
import { type DynamicModule, Module } from '@nestjs/common';
import { InventoryController } from './inventory.controller.js';
import { StockStore } from './stock.store.js';

@Module({})
export class InventoryModule {
  static forRoot(nats: NatsTransportModuleOptions): DynamicModule {
    return {
      module: InventoryModule,
      imports: [NatsTransportModule.forRoot(nats)],
      controllers: [InventoryController],
      providers: [StockStore],
    };
  }
}
