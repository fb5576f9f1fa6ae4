import 'reflect-metadata';
import { runShopService } from '@cliffracer-sample/shop-common';
import { notificationsConfig } from './notifications.config.js';
import { NotificationsModule } from './notifications.module.js';

const config = notificationsConfig();
void runShopService(NotificationsModule.forRoot(config), config);
