import { SecureRepositoryModule } from '@cliffracer/secure-repository';
import { type DynamicModule, Module } from '@nestjs/common';
import { shopPlatform, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { Charge } from './charge.entity.js';
import { CreateCharges1763942500000 } from './migrations/1763942500000-create-charges.js';
import { PaymentLedger } from './payment-ledger.js';
import { PaymentsController } from './payments.controller.js';
import { PAYMENTS_SETTINGS, type PaymentsSettings } from './payments.settings.js';

@Module({})
export class PaymentsModule {
  /** The payments service: every charge attempt in its own database, token checks. */
  static forRoot(config: ShopServiceConfig, settings: PaymentsSettings): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [
        ...shopPlatform(config),
        SecureRepositoryModule.forRoot({ ...config.database, migrations: [CreateCharges1763942500000], migrationsRun: true }),
        SecureRepositoryModule.forFeature([Charge]),
      ],
      controllers: [PaymentsController],
      providers: [PaymentLedger, { provide: PAYMENTS_SETTINGS, useValue: settings }],
    };
  }
}
