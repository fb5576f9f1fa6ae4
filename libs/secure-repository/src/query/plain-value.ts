import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { SecureQueryError } from '../errors/secure-query.error.js';

/** A value a column may be compared with or set to: data, never structure or SQL. */
export type PlainValue = string | number | boolean | bigint | Date;

const JSON_TYPES = new Set(['json', 'jsonb', 'simple-json']);

/**
 * Checks that `value` is plain data for `column`: a string, finite number, boolean, bigint or
 * valid Date. Objects and arrays are refused (they would reach TypeORM as find operators or
 * relations) unless the column holds JSON. `null`/`undefined` are refused here; callers
 * decide where they mean something.
 */
export function assertPlainValue(entity: string, field: string, value: unknown, column?: ColumnMetadata): asserts value is PlainValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return;
    case 'number':
      if (Number.isFinite(value)) return;
      throw new SecureQueryError(entity, field, 'must be a finite number');
    case 'object':
      if (value instanceof Date && !Number.isNaN(value.getTime())) return;
      if (value !== null && column !== undefined && JSON_TYPES.has(String(column.type))) return;
      throw new SecureQueryError(entity, field, value === null ? 'must not be null here' : 'must be a plain value, not an object or array');
    default:
      throw new SecureQueryError(entity, field, `must be a plain value, got ${typeof value}`);
  }
}

/** Whether `value` is an object literal (not an array, class instance or null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
