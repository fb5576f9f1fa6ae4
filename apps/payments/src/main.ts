import 'reflect-metadata';
import { runShopService } from '@cliffracer-sample/shop-common';
import { paymentsConfig } from './payments.config.js';
import { PaymentsModule } from './payments.module.js';

const config = paymentsConfig();
void runShopService(PaymentsModule.forRoot(config.service, config.payments), config.service);
