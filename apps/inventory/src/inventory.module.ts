import { NatsTransportModule, type NatsTransportModuleOptions } from '@cliffracer/nats-transport';
import { SecureRepositoryModule, type SecureRepositoryModuleOptions } from '@cliffracer/secure-repository';
import { type DynamicModule, Module } from '@nestjs/common';
import { InventoryController } from './inventory.controller.js';
import { CreateStock1763769600000 } from './migrations/1763769600000-create-stock.js';
import { Reservation } from './stock/reservation.entity.js';
import { StockItem } from './stock/stock-item.entity.js';
import { StockStore } from './stock.store.js';

@Module({})
export class InventoryModule {
  /** The service on `nats`, its stock in the database of `database` (migrated at boot). */
  static forRoot(nats: NatsTransportModuleOptions, database: SecureRepositoryModuleOptions = {}): DynamicModule {
    return {
      module: InventoryModule,
      imports: [
        NatsTransportModule.forRoot(nats),
        SecureRepositoryModule.forRoot({ ...database, migrations: [CreateStock1763769600000], migrationsRun: true }),
        SecureRepositoryModule.forFeature([StockItem, Reservation]),
      ],
      controllers: [InventoryController],
      providers: [StockStore],
    };
  }
}
