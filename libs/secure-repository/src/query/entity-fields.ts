import type { EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { SecureQueryError } from '../errors/secure-query.error.js';
import { type ColumnCheck, columnCheck, isTextType, patternCheck } from './column-checks.js';

/** Looks like SQL or markup rather than a field name: worth a line in the security log. */
const SUSPICIOUS = /[\s;'"`()\\=*/-]|--|\b(select|union|drop|insert|update|delete|or|and)\b/i;

/** A column and the check of its values, both from TypeORM's metadata. */
interface Field {
  check: ColumnCheck;
  text: boolean;
}

/**
 * The fields of one entity, from TypeORM's metadata: the only names a query may use, and the
 * check of each one's values (type, range, length), derived once when the entity is first
 * used. A name that is not an own column (`__proto__`, `constructor`, a SQL fragment) is
 * refused.
 */
export class EntityFields {
  private readonly columns = new Map<string, ColumnMetadata>();
  private readonly fields = new Map<ColumnMetadata, Field>();

  constructor(
    readonly metadata: EntityMetadata,
    private readonly onSuspicious: (entity: string, field: string) => void,
  ) {
    const driver = metadata.connection.driver;
    for (const column of metadata.columns) {
      const type = String(driver.normalizeType(column));
      this.columns.set(column.propertyName, column);
      this.fields.set(column, { check: columnCheck(column, type), text: isTextType(type) });
    }
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

  /** Refuses, naming `at`, a plain value that does not fit `column`. */
  checkValue(column: ColumnMetadata, at: string, value: unknown): void {
    const reason = this.fields.get(column)!.check(value);
    if (reason !== undefined) throw new SecureQueryError(this.entity, at, reason);
  }

  /** Refuses, naming `at`, a `like` pattern on a column without text or a pattern with bad characters. */
  checkPattern(column: ColumnMetadata, at: string, value: unknown): void {
    const reason = this.fields.get(column)!.text ? patternCheck(value) : 'must be a string pattern on a text column';
    if (reason !== undefined) throw new SecureQueryError(this.entity, at, reason);
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
