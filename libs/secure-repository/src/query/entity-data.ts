import { SecureQueryError } from '../errors/secure-query.error.js';
import type { EntityFields } from './entity-fields.js';
import { assertPlainValue, isPlainObject } from './plain-value.js';

/**
 * Checks the data of a create or update: an object literal whose keys are all columns and
 * whose values are plain data that fits the column (or `null` for a nullable column). Returns a copy holding only
 * own keys, so a prototype key in parsed JSON can never reach the entity.
 */
export function checkEntityData(fields: EntityFields, data: unknown, what: 'create' | 'update'): Record<string, unknown> {
  const entity = fields.entity;
  if (!isPlainObject(data)) throw new SecureQueryError(entity, what, 'data must be an object of column values');
  const checked: Record<string, unknown> = {};
  for (const field of Object.keys(data)) {
    const column = fields.column(field, what);
    const value = data[field];
    if (value === undefined) continue;
    if (value === null) {
      if (!column.isNullable) throw new SecureQueryError(entity, field, 'is not nullable');
    } else {
      assertPlainValue(entity, field, value, column);
      fields.checkValue(column, field, value);
    }
    checked[column.propertyName] = value;
  }
  if (what === 'update' && Object.keys(checked).length === 0) throw new SecureQueryError(entity, what, 'changes nothing');
  return checked;
}
