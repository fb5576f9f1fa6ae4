import 'reflect-metadata';
import { runShopService } from '@cliffracer-sample/shop-common';
import { gatewayConfig } from './gateway.config.js';
import { GatewayModule } from './gateway.module.js';
import { loginLimitsFromEnv } from './users/login-limits.js';

const config = gatewayConfig();
void runShopService(GatewayModule.forRoot(config, loginLimitsFromEnv()), config, { websockets: true });
