import { SecureRepositoryModule } from '@cliffracer/secure-repository';
import { type DynamicModule, Module } from '@nestjs/common';
import { shopPlatform, type ShopServiceConfig } from '@cliffracer-sample/shop-common';
import { CreateNotifications1763942600000 } from './migrations/1763942600000-create-notifications.js';
import { NoticeBoard } from './notice-board.js';
import { Notification } from './notification.entity.js';
import { NotificationsController } from './notifications.controller.js';

@Module({})
export class NotificationsModule {
  /** The notifications service: stored notifications, the live feed, token checks on reads. */
  static forRoot(config: ShopServiceConfig): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        ...shopPlatform(config),
        SecureRepositoryModule.forRoot({ ...config.database, migrations: [CreateNotifications1763942600000], migrationsRun: true }),
        SecureRepositoryModule.forFeature([Notification]),
      ],
      controllers: [NotificationsController],
      providers: [NoticeBoard],
    };
  }
}
