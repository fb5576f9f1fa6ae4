import type { DeepPartial, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { DatabaseConnection } from './database.connection.js';
import { SecureQueryError } from './errors/secure-query.error.js';
import { checkEntityData } from './query/entity-data.js';
import { EntityFields } from './query/entity-fields.js';
import { compileFindMany, type FindManyOptions } from './query/find-options.js';
import { assertPlainValue } from './query/plain-value.js';
import { SecureTransaction } from './secure.transaction.js';
import { compileWhere, type Where } from './query/where.compiler.js';
import type { SuspiciousFieldReporter } from './suspicious-field.reporter.js';

/** Postgres takes at most this many bound parameters in one statement. */
const MAX_BIND_PARAMETERS = 65_535;

/**
 * A repository for one whitelisted entity that never builds SQL from its input: field and
 * sort names must be columns of the entity, filters use a closed set of operators, values
 * are always bound parameters (a name like `O'Brien` is stored verbatim), limits and
 * offsets are bounded. No method takes raw SQL. Anything refused throws `SecureQueryError`
 * naming the field, before the database is reached.
 *
 * @example
 * constructor(@InjectSecureRepository(Order) private readonly orders: SecureRepository<Order>) {}
 * await this.orders.findMany({ where: { status: 'open', total: { gte: 100 } }, orderBy: { createdAt: 'DESC' }, limit: 20 });
 */
export class SecureRepository<T extends ObjectLiteral> {
  private fieldsOf?: EntityFields;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly target: EntityTarget<T>,
    private readonly onSuspicious: SuspiciousFieldReporter,
    private readonly manager?: EntityManager,
  ) {}

  async create(data: DeepPartial<T>): Promise<T> {
    return this.run(true, async ({ repo, fields }) => {
      const entity = repo.create(checkEntityData(fields, data, 'create') as DeepPartial<T>);
      await repo.insert(entity);
      return entity;
    });
  }

  /** Inserts all rows in one transaction, one multi-row INSERT per batch. */
  async createMany(rows: DeepPartial<T>[]): Promise<T[]> {
    return this.run(true, async ({ fields }) => {
      if (!Array.isArray(rows)) throw new SecureQueryError(fields.entity, 'rows', 'must be a list');
      const checked = rows.map((row) => checkEntityData(fields, row, 'create'));
      const batch = Math.max(1, Math.min(this.connection.options.batchSize, Math.floor(MAX_BIND_PARAMETERS / fields.count())));
      return this.transaction(async (repo) => {
        const created: T[] = [];
        const plain = await repo.open();
        for (let i = 0; i < checked.length; i += batch) {
          const entities = plain.repo.create(checked.slice(i, i + batch) as DeepPartial<T>[]);
          await plain.repo.insert(entities);
          created.push(...entities);
        }
        return created;
      });
    });
  }

  /**
   * The row with this primary key, or null. With `{ lock: 'update' }` (inside `transaction()`
   * only) the row stays locked against other writers until the transaction ends, so a
   * read-then-write of it cannot lose a concurrent change.
   */
  async findById(id: unknown, options: { lock?: 'update' } = {}): Promise<T | null> {
    return this.run(false, async ({ repo, fields }) => {
      if (options.lock !== undefined && this.manager === undefined) throw new SecureQueryError(fields.entity, 'lock', 'needs a transaction: lock rows inside transaction()');
      const where = whereId(fields, id) as never;
      // findOneBy runs the same query as findOne, with less of TypeORM's time per call.
      return options.lock === undefined ? repo.findOneBy(where) : repo.findOne({ where, lock: { mode: 'pessimistic_write' } });
    });
  }

  async findOne(where: Where<T>): Promise<T | null> {
    return this.run(false, ({ repo, fields }) => repo.findOneBy(compileWhere(fields, where, true) as never));
  }

  async findMany(options: FindManyOptions<T> = {}): Promise<T[]> {
    return this.run(false, ({ repo, fields }) => repo.find(compileFindMany(fields, options, this.connection.options) as never));
  }

  async count(where?: Where<T>): Promise<number> {
    return this.run(false, ({ repo, fields }) => repo.count({ where: compileWhere(fields, where) as never }));
  }

  /** Changes one row; resolves the row as it now is, or null when there is none. */
  async update(id: unknown, changes: DeepPartial<T>): Promise<T | null> {
    return this.run(true, async ({ repo, fields }) => {
      const where = whereId(fields, id);
      const result = await repo.update(where as never, checkEntityData(fields, changes, 'update') as never);
      return result.affected === 0 ? null : repo.findOneBy(where as never);
    });
  }

  /** Changes every row matching a non-empty filter; resolves how many. */
  async updateMany(where: Where<T>, changes: DeepPartial<T>): Promise<number> {
    return this.run(true, async ({ repo, fields }) => {
      const result = await repo.update(compileWhere(fields, where, true) as never, checkEntityData(fields, changes, 'update') as never);
      return result.affected ?? 0;
    });
  }

  /** Deletes one row; resolves whether there was one. */
  async delete(id: unknown): Promise<boolean> {
    return this.run(true, async ({ repo, fields }) => {
      const result = await repo.delete(whereId(fields, id) as never);
      return (result.affected ?? 0) > 0;
    });
  }

  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws.
   * `fn` gets this repository and a way to reach other whitelisted entities, all bound to
   * the transaction. What `fn` throws reaches the caller as it is.
   */
  async transaction<R>(fn: (repo: SecureRepository<T>, tx: SecureTransaction) => Promise<R>): Promise<R> {
    if (this.manager !== undefined) return fn(this, new SecureTransaction(this.connection, this.manager, this.onSuspicious));
    return this.run(true, async () => {
      const source = await this.connection.dataSource();
      return source.transaction(async (manager) => {
        const tx = new SecureTransaction(this.connection, manager, this.onSuspicious);
        return fn(tx.repository(this.target), tx);
      });
    });
  }

  /** Runs `work` on the open repository; a driver error becomes one a caller may see. */
  private async run<R>(write: boolean, work: (open: { repo: Repository<T>; fields: EntityFields }) => Promise<R>): Promise<R> {
    try {
      return await work(await this.open());
    } catch (error) {
      throw this.connection.failures.map(error, this.entityName(), write);
    }
  }

  private async open(): Promise<{ repo: Repository<T>; fields: EntityFields }> {
    const manager = this.manager ?? (await this.connection.dataSource()).manager;
    const repo = manager.getRepository(this.target);
    this.fieldsOf ??= this.connection.fieldsOf(repo.metadata, this.onSuspicious);
    return { repo, fields: this.fieldsOf };
  }

  private entityName(): string {
    return this.fieldsOf?.entity ?? String((this.target as { name?: string }).name ?? this.target);
  }
}

/** The filter of one row by its primary key; the id must be plain data. */
function whereId(fields: EntityFields, id: unknown) {
  const primary = fields.primary();
  assertPlainValue(fields.entity, primary.propertyName, id);
  return compileWhere(fields, { [primary.propertyName]: id });
}
