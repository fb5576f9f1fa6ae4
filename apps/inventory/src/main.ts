import 'reflect-metadata';
import { runShopService } from '../../shop-common/src/index.js';
import { inventoryConfig } from './inventory.config.js';
import { InventoryModule } from './inventory.module.js';

const config = inventoryConfig();
void runShopService(InventoryModule.forRoot(config), config);
