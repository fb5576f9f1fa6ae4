import { CliffracerError } from '@cliffracer/common';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { EmbeddedPostgres } from './embedded-postgres.js';
import type { NormalizedSecureRepositoryOptions } from './interfaces/secure-repository-options.interface.js';

/**
 * The one database of a service: a TypeORM `DataSource` over `pg`, to the server at `url` or
 * to an embedded Postgres when there is none. Entities are registered by
 * `SecureRepositoryModule.forFeature` while the app is built; they are the table whitelist.
 * The source opens at bootstrap, once every module had its say (before a transport listens,
 * so the first request does not wait for it), or at first use before that; it closes at
 * shutdown.
 */
export class DatabaseConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SecureRepository');
  private readonly entities = new Set<EntityTarget<ObjectLiteral>>();
  private opening?: Promise<DataSource>;
  private embedded?: EmbeddedPostgres;

  constructor(readonly options: NormalizedSecureRepositoryOptions) {}

  /** Adds entities to the whitelist; only before the source opened. */
  register(entities: EntityTarget<ObjectLiteral>[]): void {
    if (this.opening !== undefined) throw new CliffracerError('entities must be registered before the database is first used', { code: 'DATABASE_ALREADY_OPEN' });
    for (const entity of entities) this.entities.add(entity);
  }

  /** Whether `entity` is on the whitelist. */
  has(entity: EntityTarget<ObjectLiteral>): boolean {
    return this.entities.has(entity);
  }

  /** The open data source, opened on the first call. */
  dataSource(): Promise<DataSource> {
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  /** Whether a trivial query answers: for health checks. */
  async ping(): Promise<boolean> {
    try {
      await (await this.dataSource()).query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.dataSource();
  }

  async onApplicationShutdown(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    const source = await opening?.catch(() => undefined);
    if (source?.isInitialized) await source.destroy();
    await this.embedded?.stop();
    this.embedded = undefined;
  }

  private async open(): Promise<DataSource> {
    const { options } = this;
    let url = options.url;
    if (url === undefined) {
      this.embedded = await EmbeddedPostgres.start(options.embeddedDir);
      url = this.embedded.url;
      this.logger.log(`no database URL given: embedded Postgres in ${options.embeddedDir}`);
    }
    const source = new DataSource({
      type: 'postgres',
      url,
      schema: options.schema,
      entities: [...this.entities] as Function[],
      synchronize: options.synchronize,
      migrations: options.migrations,
      migrationsRun: options.migrationsRun,
      invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
      extra: this.embedded
        ? { max: 1 }
        : { max: options.pool.max, idleTimeoutMillis: options.pool.idleTimeoutMs, connectionTimeoutMillis: options.pool.connectionTimeoutMs },
    });
    if (options.schema !== 'public' && options.synchronize) {
      // synchronize creates tables, not the schema that holds them.
      const probe = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
      await probe.initialize();
      await probe.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      await probe.destroy();
    }
    return source.initialize();
  }
}
