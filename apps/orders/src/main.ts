import 'reflect-metadata';
import { runShopService } from '@cliffracer-sample/shop-common';
import { ordersConfig } from './orders.config.js';
import { OrdersModule } from './orders.module.js';

const config = ordersConfig();
void runShopService(OrdersModule.forRoot(config.service, config.orders), config.service);
