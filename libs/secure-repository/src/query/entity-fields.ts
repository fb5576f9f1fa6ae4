import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { SecureQueryError } from '../errors/secure-query.error.js';

/** Looks like SQL or markup rather than a field name: worth a line in the security log. */
const SUSPICIOUS = /[\s;'"`()\\=*/-]|--|\b(select|union|drop|insert|update|delete|or|and)\b/i;

/**
 * The fields of one entity, from TypeORM's metadata: the only names a query may use. A
 * name that is not an own column (`__proto__`, `constructor`, a SQL fragment) is refused.
 */
export class EntityFields {
  private readonly columns = new Map<string, ColumnMetadata>();

  constructor(
    readonly metadata: EntityMetadata,
    private readonly onSuspicious: (entity: string, field: string) => void,
  ) {
    for (const column of metadata.columns) this.columns.set(column.propertyName, column);
  }

  get entity(): string {
    return this.metadata.name;
  }

  /** The column of `field`, or a `SecureQueryError` naming it. */
  column(field: string, where: string): ColumnMetadata {
    const column = this.columns.get(field);
    if (column !== undefined) return column;
    if (SUSPICIOUS.test(field)) this.onSuspicious(this.entity, field);
    throw new SecureQueryError(this.entity, JSON.stringify(field), `is not a column (in ${where})`);
  }

  /** The single primary column; composite keys are not supported by `findById`. */
  primary(): ColumnMetadata {
    const [primary, ...more] = this.metadata.primaryColumns;
    if (primary === undefined || more.length > 0) throw new SecureQueryError(this.entity, 'id', 'needs exactly one primary column');
    return primary;
  }

  count(): number {
    return this.columns.size;
  }
}
