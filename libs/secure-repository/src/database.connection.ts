import { CliffracerError } from '@cliffracer/common';
import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityMetadata, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { DatabaseFailureMapper } from './database-failure.mapper.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import type { NormalizedSecureRepositoryOptions } from './interfaces/secure-repository-options.interface.js';
import { EntityFields } from './query/entity-fields.js';
import type { SuspiciousFieldReporter } from './suspicious-field.reporter.js';

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
  private readonly fields = new Map<EntityMetadata, EntityFields>();
  /** Turns driver errors into errors a caller may see, logging them once per burst. */
  readonly failures: DatabaseFailureMapper;
  private opening?: Promise<DataSource>;
  private embedded?: EmbeddedPostgres;

  constructor(readonly options: NormalizedSecureRepositoryOptions) {
    this.failures = new DatabaseFailureMapper(options);
  }

  /** Adds entities to the whitelist; only before the source opened. */
  register(entities: EntityTarget<ObjectLiteral>[]): void {
    if (this.opening !== undefined) throw new CliffracerError('entities must be registered before the database is first used', { code: 'DATABASE_ALREADY_OPEN' });
    for (const entity of entities) this.entities.add(entity);
  }

  /** Whether `entity` is on the whitelist. */
  has(entity: EntityTarget<ObjectLiteral>): boolean {
    return this.entities.has(entity);
  }

  /** The fields of an entity and the checks of their values: derived once per entity. */
  fieldsOf(metadata: EntityMetadata, onSuspicious: SuspiciousFieldReporter): EntityFields {
    let fields = this.fields.get(metadata);
    if (fields === undefined) this.fields.set(metadata, (fields = new EntityFields(metadata, onSuspicious)));
    return fields;
  }

  /** The open data source, opened on the first call. */
  dataSource(): Promise<DataSource> {
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  /**
   * Whether the database answers a trivial query within `timeoutMs`: for readiness checks,
   * which must not hang while the database is down, locked up or out of pooled connections.
   * Never throws. The query left behind by a timeout ends within the statement timeout.
   *
   * @example
   * ready = await connection.ping();        // false after pingTimeoutMs (1000) at most
   */
  async ping(timeoutMs = this.options.pingTimeoutMs): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const answered = this.dataSource()
      .then((source) => source.query('SELECT 1'))
      .then(() => true, () => false);
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, false);
    });
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
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
    const { schema } = options;
    if (options.url === undefined) {
      this.embedded = await EmbeddedPostgres.start(options.embeddedDir, schema);
      this.logger.log(`no database URL given: embedded Postgres in ${options.embeddedDir}`);
      // One process owns an embedded database: nothing else can migrate it meanwhile. Its one
      // session is its one connection: a request waits for it no longer than for a pooled one.
      return this.dataSourceFor(this.embedded.url, { max: 1, connectionTimeoutMillis: options.pool.connectionTimeoutMs }, true).initialize();
    }
    // Migrations write unqualified table names: they must land in the service's schema.
    const searchPath = schema === 'public' ? {} : { options: `-c search_path="${schema}"` };
    await this.prepareSchema(options.url, searchPath);
    const source = this.dataSourceFor(
      options.url,
      {
        max: options.pool.max,
        idleTimeoutMillis: options.pool.idleTimeoutMs,
        connectionTimeoutMillis: options.pool.connectionTimeoutMs,
        // Sent at connect, so every statement of every pooled connection is bounded by the server.
        statement_timeout: options.statementTimeoutMs,
        lock_timeout: options.lockTimeoutMs,
        ...searchPath,
      },
      false,
    );
    await source.initialize();
    return source;
  }

  /**
   * Creates the schema, synchronizes and migrates it while holding a Postgres advisory lock on
   * it: instances of one service starting together would otherwise race to create the same
   * tables, and all but one would fail. This runs on a connection of its own without the
   * statement and lock timeouts, which would cut a long migration short.
   */
  private async prepareSchema(url: string, searchPath: { options?: string }): Promise<void> {
    const { options } = this;
    const migrator = this.dataSourceFor(url, { max: 1, connectionTimeoutMillis: options.pool.connectionTimeoutMs, ...searchPath }, false);
    await migrator.initialize();
    try {
      await migrator.query('SELECT pg_advisory_lock(hashtext($1))', [`cliffracer:schema:${options.schema}`]);
      if (options.schema !== 'public') await migrator.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
      if (options.synchronize) await migrator.synchronize();
      if (options.migrationsRun) await migrator.runMigrations();
    } finally {
      await migrator.destroy();
    }
  }

  /** A data source over `url`; `prepares` lets it synchronize and migrate as it opens. */
  private dataSourceFor(url: string, extra: Record<string, unknown>, prepares: boolean): DataSource {
    const { options } = this;
    return new DataSource({
      type: 'postgres',
      url,
      schema: options.schema,
      entities: [...this.entities] as Function[],
      synchronize: prepares && options.synchronize,
      migrations: options.migrations,
      migrationsRun: prepares && options.migrationsRun,
      invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
      // Generated UUIDs default to gen_random_uuid(), in core Postgres since 13 and in PGlite;
      // uuid_generate_v4() needs the uuid-ossp extension, which PGlite does not have.
      uuidExtension: 'pgcrypto',
      extra,
    });
  }
}
