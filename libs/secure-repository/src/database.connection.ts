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
  readonly failures = new DatabaseFailureMapper();
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
    const { schema } = options;
    if (options.url === undefined) {
      this.embedded = await EmbeddedPostgres.start(options.embeddedDir, schema);
      this.logger.log(`no database URL given: embedded Postgres in ${options.embeddedDir}`);
      // One process owns an embedded database: nothing else can migrate it meanwhile.
      return this.dataSourceFor(this.embedded.url, { max: 1 }).initialize();
    }
    const source = this.dataSourceFor(options.url, {
      max: options.pool.max,
      idleTimeoutMillis: options.pool.idleTimeoutMs,
      connectionTimeoutMillis: options.pool.connectionTimeoutMs,
      // Migrations write unqualified table names: they must land in the service's schema.
      ...(schema !== 'public' && { options: `-c search_path="${schema}"` }),
    });
    await whileLocked(options.url, schema, async (lockHolder) => {
      if (schema !== 'public') await lockHolder.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await source.initialize();
    });
    return source;
  }

  private dataSourceFor(url: string, extra: Record<string, unknown>): DataSource {
    const { options } = this;
    return new DataSource({
      type: 'postgres',
      url,
      schema: options.schema,
      entities: [...this.entities] as Function[],
      synchronize: options.synchronize,
      migrations: options.migrations,
      migrationsRun: options.migrationsRun,
      invalidWhereValuesBehavior: { null: 'throw', undefined: 'throw' },
      // Generated UUIDs default to gen_random_uuid(), in core Postgres since 13 and in PGlite;
      // uuid_generate_v4() needs the uuid-ossp extension, which PGlite does not have.
      uuidExtension: 'pgcrypto',
      extra,
    });
  }
}

/**
 * Runs `work` (creating the schema, synchronizing, migrating) while holding a Postgres advisory
 * lock on the schema: instances of one service starting together would otherwise race to
 * create the same tables, and all but one would fail.
 */
async function whileLocked(url: string, schema: string, work: (lockHolder: DataSource) => Promise<void>): Promise<void> {
  const lockHolder = new DataSource({ type: 'postgres', url, extra: { max: 1 } });
  await lockHolder.initialize();
  const key = `cliffracer:schema:${schema}`;
  try {
    await lockHolder.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    await work(lockHolder);
  } finally {
    await lockHolder.destroy();
  }
}
