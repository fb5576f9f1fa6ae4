import { DebugLogger } from '@cliffracer/debug-logger';
import { type DynamicModule, Inject, Module, Optional } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { DatabaseConnection } from './database.connection.js';
import type { SecureRepositoryModuleOptions } from './interfaces/secure-repository-options.interface.js';
import { getSecureRepositoryToken, SUSPICIOUS_FIELD_REPORTER } from './secure-repository.constants.js';
import { SECURE_REPOSITORY_OPTIONS, SecureRepositoryConfigurableModule } from './secure-repository.module-definition.js';
import { normalizeSecureRepositoryOptions } from './secure-repository.options.js';
import { SecureRepository } from './secure.repository.js';
import { type SuspiciousFieldReporter, suspiciousFieldReporter } from './suspicious-field.reporter.js';

/**
 * The database of a service: `forRoot` once (global by default) opens it, to `url` or to an
 * embedded Postgres; `forFeature([Order, ...])` in each module registers entities, which
 * are the table whitelist, and provides their `SecureRepository`.
 *
 * @example
 * SecureRepositoryModule.forRoot({ url: process.env.DATABASE_URL, synchronize: true })
 * SecureRepositoryModule.forFeature([Order, OrderLine])
 */
@Module({
  providers: [
    {
      provide: DatabaseConnection,
      inject: [SECURE_REPOSITORY_OPTIONS],
      useFactory: (options: SecureRepositoryModuleOptions) => new DatabaseConnection(normalizeSecureRepositoryOptions(options)),
    },
    {
      provide: SUSPICIOUS_FIELD_REPORTER,
      inject: [{ token: DebugLogger, optional: true }],
      useFactory: (debug?: DebugLogger) => suspiciousFieldReporter(debug),
    },
  ],
  exports: [DatabaseConnection, SUSPICIOUS_FIELD_REPORTER],
})
export class SecureRepositoryModule extends SecureRepositoryConfigurableModule {
  constructor(@Optional() @Inject(DatabaseConnection) readonly connection?: DatabaseConnection) {
    super();
  }

  /** Registers entities on the whitelist and provides a `SecureRepository` for each. */
  static forFeature(entities: EntityTarget<ObjectLiteral>[]): DynamicModule {
    const providers = entities.map((entity) => ({
      provide: getSecureRepositoryToken(entity),
      inject: [DatabaseConnection, SUSPICIOUS_FIELD_REPORTER],
      useFactory: (connection: DatabaseConnection, report: SuspiciousFieldReporter) => {
        connection.register([entity]);
        return new SecureRepository(connection, entity, report);
      },
    }));
    return { module: SecureRepositoryFeatureModule, providers, exports: providers.map((p) => p.provide) };
  }
}

/** Holds the repositories of one `forFeature` call. */
@Module({})
class SecureRepositoryFeatureModule {}
