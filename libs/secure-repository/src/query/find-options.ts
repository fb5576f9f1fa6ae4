import { SecureQueryError } from '../errors/secure-query.error.js';
import type { EntityFields } from './entity-fields.js';
import { isPlainObject } from './plain-value.js';
import { compileWhere, type Where } from './where.compiler.js';

/** Sort direction; the only two accepted (either case). */
export type SortDirection = 'ASC' | 'DESC' | 'asc' | 'desc';

/** What `findMany` takes. */
export interface FindManyOptions<T> {
  where?: Where<T>;
  /** Field → direction, applied in the order given. */
  orderBy?: { [K in keyof T]?: SortDirection };
  /** Rows at most: a whole number from 1 to the module's `maxLimit`. */
  limit?: number;
  /** Rows skipped: a whole number from 0 to the module's `maxOffset`. */
  offset?: number;
}

/** Bounds from the module options. */
export interface PageBounds {
  maxLimit: number;
  defaultLimit: number;
  maxOffset: number;
}

const FIND_MANY_KEYS = new Set(['where', 'orderBy', 'limit', 'offset']);

/** Checks and compiles `findMany` options into TypeORM find options. */
export function compileFindMany(fields: EntityFields, options: unknown, bounds: PageBounds) {
  const entity = fields.entity;
  if (options === undefined) options = {};
  if (!isPlainObject(options)) throw new SecureQueryError(entity, 'options', 'must be an object');
  for (const key of Object.keys(options)) {
    if (!FIND_MANY_KEYS.has(key)) throw new SecureQueryError(entity, JSON.stringify(key), 'is not a findMany option (where, orderBy, limit, offset)');
  }
  return {
    where: compileWhere(fields, options.where),
    order: compileOrder(fields, options.orderBy),
    take: wholeNumber(entity, 'limit', options.limit ?? bounds.defaultLimit, 1, bounds.maxLimit),
    skip: wholeNumber(entity, 'offset', options.offset ?? 0, 0, bounds.maxOffset),
  };
}

function compileOrder(fields: EntityFields, orderBy: unknown): Record<string, 'ASC' | 'DESC'> {
  if (orderBy === undefined) return {};
  if (!isPlainObject(orderBy)) throw new SecureQueryError(fields.entity, 'orderBy', 'must be an object of field → ASC or DESC');
  const order: Record<string, 'ASC' | 'DESC'> = {};
  for (const field of Object.keys(orderBy)) {
    const column = fields.column(field, 'orderBy');
    const direction = orderBy[field];
    if (typeof direction !== 'string' || !/^(asc|desc)$/i.test(direction)) {
      throw new SecureQueryError(fields.entity, `orderBy.${field}`, 'must be ASC or DESC');
    }
    order[column.propertyName] = direction.toUpperCase() as 'ASC' | 'DESC';
  }
  return order;
}

function wholeNumber(entity: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SecureQueryError(entity, name, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}
