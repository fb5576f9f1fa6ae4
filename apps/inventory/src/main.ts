import 'reflect-metadata';
import { runShopService } from '@cliffracer-sample/shop-common';
import { inventoryConfig } from './inventory.config.js';
import { InventoryModule } from './inventory.module.js';

const config = inventoryConfig();
void runShopService(InventoryModule.forRoot(config), config);
