import { SecureRepositoryModule } from '@cliffracer/secure-repository';
import { type DynamicModule, Module } from '@nestjs/common';
import { shopPlatform, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { InventoryController } from './inventory.controller.js';
import { CreateStock1763769600000 } from './migrations/1763769600000-create-stock.js';
import { AddPrices1763856000000 } from './migrations/1763856000000-add-prices.js';
import { Reservation } from './stock/reservation.entity.js';
import { StockItem } from './stock/stock-item.entity.js';
import { StockStore } from './stock.store.js';

@Module({})
export class InventoryModule {
  /** The inventory service: its stock in its own database, migrated at boot. */
  static forRoot(config: ShopServiceConfig): DynamicModule {
    return {
      module: InventoryModule,
      imports: [
        ...shopPlatform(config),
        SecureRepositoryModule.forRoot({ ...config.database, migrations: [CreateStock1763769600000, AddPrices1763856000000], migrationsRun: true }),
        SecureRepositoryModule.forFeature([StockItem, Reservation]),
      ],
      controllers: [InventoryController],
      providers: [StockStore],
    };
  }
}
