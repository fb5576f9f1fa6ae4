import { And, Equal, type FindOperator, In, IsNull, LessThan, LessThanOrEqual, Like, MoreThan, MoreThanOrEqual, Not } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { SecureQueryError } from '../errors/secure-query.error.js';
import type { EntityFields } from './entity-fields.js';
import { assertPlainValue, isPlainObject, type PlainValue } from './plain-value.js';

/** The operators a filter may use; anything else is refused. */
export const WHERE_OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'isNull'] as const;
export type WhereOperator = (typeof WHERE_OPERATORS)[number];

/** Conditions on one field: a value (equality) or operators, all of which must hold. */
export type FieldCondition = PlainValue | Partial<Record<Exclude<WhereOperator, 'in' | 'isNull'>, PlainValue> & { in: PlainValue[]; isNull: boolean }>;

/** A filter: field → condition, all of which must hold. */
export type Where<T> = { [K in keyof T]?: FieldCondition };

/** The operators comparing the field with one value. */
const COMPARISONS = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']);

/** Values one `in` list may hold. */
const MAX_IN_VALUES = 1000;

/**
 * Value types TypeORM binds as a parameter when given as they are, which costs it less than
 * unwrapping `Equal()`; dates, big integers and JSON values still go through `Equal()`.
 */
const BOUND_AS_IS = new Set(['string', 'number', 'boolean']);

/** A compiled condition: an operator, or a value compared for equality. */
type CompiledCondition = FindOperator<unknown> | string | number | boolean;

/**
 * Turns a filter into TypeORM find conditions, each value a bound parameter. Refuses, with a
 * `SecureQueryError` naming the field: unknown or prototype keys, operators outside the
 * closed set, nested objects, values that do not fit the column (type, range, length, NUL,
 * lone surrogates), and `null`/`undefined` values, which would otherwise drop the condition
 * and widen the query (ask for `{ isNull: true }` instead).
 */
export function compileWhere(fields: EntityFields, where: unknown, required = false): Record<string, CompiledCondition> {
  if (where === undefined && !required) return {};
  if (!isPlainObject(where)) throw new SecureQueryError(fields.entity, 'where', 'must be an object of field conditions');
  const compiled: Record<string, CompiledCondition> = {};
  for (const field of Object.keys(where)) {
    const column = fields.column(field, 'where');
    compiled[column.propertyName] = compileCondition(fields, column, field, where[field]);
  }
  if (required && Object.keys(compiled).length === 0) throw new SecureQueryError(fields.entity, 'where', 'must hold at least one condition here');
  return compiled;
}

function compileCondition(fields: EntityFields, column: ColumnMetadata, field: string, condition: unknown): CompiledCondition {
  const entity = fields.entity;
  if (condition === null || condition === undefined) {
    throw new SecureQueryError(entity, field, `is ${condition}, which would match everything; use { isNull: true }`);
  }
  if (!isPlainObject(condition)) {
    assertPlainValue(entity, field, condition);
    fields.checkValue(column, field, condition);
    return BOUND_AS_IS.has(typeof condition) ? (condition as string | number | boolean) : Equal(condition);
  }
  const operators = Object.keys(condition).map((op) => compileOperator(fields, column, field, op, condition[op]));
  if (operators.length === 0) throw new SecureQueryError(entity, field, 'has an empty condition');
  return operators.length === 1 ? operators[0]! : And(...operators);
}

function compileOperator(fields: EntityFields, column: ColumnMetadata, field: string, operator: string, value: unknown): FindOperator<unknown> {
  const entity = fields.entity;
  const at = `${field}.${operator}`;
  if (operator === 'isNull') {
    if (typeof value !== 'boolean') throw new SecureQueryError(entity, at, 'must be true or false');
    return value ? IsNull() : Not(IsNull());
  }
  if (operator === 'in') {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) {
      throw new SecureQueryError(entity, at, `must be a list of 1 to ${MAX_IN_VALUES} values`);
    }
    value.forEach((item, i) => {
      assertPlainValue(entity, `${at}[${i}]`, item);
      fields.checkValue(column, `${at}[${i}]`, item);
    });
    return In(value);
  }
  if (operator !== 'like' && !COMPARISONS.has(operator)) {
    throw new SecureQueryError(entity, JSON.stringify(at), `is not an operator; use one of ${WHERE_OPERATORS.join(', ')}`);
  }
  if (value === null || value === undefined) throw new SecureQueryError(entity, at, `is ${value}; use { isNull: true }`);
  assertPlainValue(entity, at, value);
  if (operator === 'like') {
    fields.checkPattern(column, at, value);
    return Like(value);
  }
  fields.checkValue(column, at, value);
  switch (operator) {
    case 'eq':
      return Equal(value);
    case 'ne':
      return Not(Equal(value));
    case 'lt':
      return LessThan(value);
    case 'lte':
      return LessThanOrEqual(value);
    case 'gt':
      return MoreThan(value);
    default:
      return MoreThanOrEqual(value);
  }
}
