import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SecureQueryError } from '../errors/secure-query.error.js';
import { EntityFields } from './entity-fields.js';
import { compileWhere, WHERE_OPERATORS } from './where.compiler.js';

@Entity({ name: 'probes' })
class Probe {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 20 })
  name!: string;

  @Column({ type: 'smallint' })
  grade!: number;

  @Column({ type: 'uuid', nullable: true })
  ref!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;
}

/** The metadata of `Probe` without a database: the compiler needs no connection. */
class OfflineDataSource extends DataSource {
  async build(): Promise<this> {
    await this.buildMetadatas();
    return this;
  }
}

const COLUMNS = ['id', 'name', 'grade', 'ref', 'active'];
/** Words the WHERE clause may hold besides quoted column names and `$n` placeholders. */
const SQL_WORDS = new Set(['AND', 'NOT', 'IN', 'IS', 'NULL', 'LIKE']);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const source = await new OfflineDataSource({ type: 'postgres', entities: [Probe] }).build();
const fields = new EntityFields(source.getMetadata(Probe), () => undefined);

/** The WHERE clause TypeORM builds from a compiled filter, and its bound parameters. */
function sqlOf(compiled: Record<string, unknown>): { where: string; params: unknown[] } {
  const [sql, params] = source.getRepository(Probe).createQueryBuilder('probe').setFindOptions({ where: compiled }).getQueryAndParameters();
  const at = sql.indexOf(' WHERE ');
  return { where: at < 0 ? '' : sql.slice(at + ' WHERE '.length), params };
}

/** Any value a hostile payload could carry, biased to what looks like SQL or breaks text. */
const anyValue = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.constantFrom("1 OR 1=1", "'; DROP TABLE probes; --", '1e3', '00000000-0000-0000-0000-000000000000', '$1', '"id"', '\u0000', '\uD800'),
  fc.integer(),
  fc.double(),
  fc.bigInt(),
  fc.boolean(),
  fc.date(),
  fc.uuid(),
  fc.constant(null),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }),
);
/** `arbitrary` one time in ten, else null. */
const rarely = <V>(arbitrary: fc.Arbitrary<V>) => fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary, weight: 1 });
/** Values that fit each column, so that most filters compile and their SQL can be looked at. */
const FITTING: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  grade: fc.integer({ min: -(2 ** 15), max: 2 ** 15 - 1 }),
  name: fc.string({ maxLength: 20 }),
  ref: fc.uuid(),
  active: fc.boolean(),
};
const valueFor = (column: string) => fc.oneof({ arbitrary: FITTING[column]!, weight: 9 }, { arbitrary: anyValue, weight: 1 });
/** Operators on one column: mostly those of the closed set with fitting values, now and then another key. */
const operatorsFor = (column: string) =>
  fc
    .tuple(
      fc.record(
        {
          eq: valueFor(column),
          ne: valueFor(column),
          lt: valueFor(column),
          gte: valueFor(column),
          in: fc.oneof({ arbitrary: fc.array(valueFor(column), { minLength: 1, maxLength: 3 }), weight: 9 }, { arbitrary: anyValue, weight: 1 }),
          isNull: fc.oneof({ arbitrary: fc.boolean(), weight: 9 }, { arbitrary: anyValue, weight: 1 }),
          // like is for text; on another column it is refused, so it comes there only as an odd key.
          ...(column === 'name' && { like: fc.oneof({ arbitrary: fc.string({ maxLength: 8 }), weight: 9 }, { arbitrary: anyValue, weight: 1 }) }),
        },
        { requiredKeys: [] },
      ),
      rarely(fc.tuple(fc.string(), anyValue)),
    )
    .map(([ops, extra]) => (extra === null ? ops : { ...ops, [extra[0]]: extra[1] }))
    .filter((ops) => Object.keys(ops).length > 0);
const conditionFor = (column: string) => fc.oneof(valueFor(column), operatorsFor(column));
const fieldName = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('__proto__', 'constructor', 'id" OR 1=1 --', 'probe.id', 'ID'));
/** A filter on some columns, now and then with a key that is not one. */
const where = fc
  .tuple(fc.record(Object.fromEntries(COLUMNS.map((c) => [c, conditionFor(c)])), { requiredKeys: [] }), rarely(fc.tuple(fieldName, anyValue)))
  .map(([filter, extra]) => (extra === null ? filter : { ...filter, [extra[0]]: extra[1] }));

/** Compiles `input`; `undefined` when refused with a `SecureQueryError`, the only error allowed. */
function compileOrRefuse(input: unknown): Record<string, unknown> | undefined {
  try {
    return compileWhere(fields, input);
  } catch (error) {
    if (error instanceof SecureQueryError) return undefined;
    throw error;
  }
}

/** Whether `value`, bound for `column`, fits it: what the compiler promises for what it lets through. */
function fits(column: string, value: unknown): boolean {
  switch (column) {
    case 'id':
    case 'grade': {
      const limit = column === 'id' ? 2 ** 31 : 2 ** 15;
      const n = typeof value === 'string' && /^-?(0|[1-9][0-9]*)$/.test(value) ? Number(value) : value;
      return (typeof n === 'number' || typeof n === 'bigint') && Number.isSafeInteger(Number(n)) && Number(n) >= -limit && Number(n) < limit;
    }
    case 'ref':
      return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
    case 'active':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string' && !value.includes('\u0000') && !LONE_SURROGATE.test(value) && [...value].length <= 20;
  }
}

describe('compileWhere (properties)', () => {
  it('refuses every field name that is not a column, with a SecureQueryError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((name) => !COLUMNS.includes(name)), anyValue, (name, value) => {
        expect(() => compileWhere(fields, { [name]: value })).toThrow(SecureQueryError);
      }),
      { numRuns: 500 },
    );
  });

  it('builds SQL holding only whitelisted columns, SQL words and placeholders, never a value', () => {
    fc.assert(
      fc.property(where, (input) => {
        const compiled = compileOrRefuse(input);
        if (compiled === undefined) return;
        const { where: clause, params } = sqlOf(compiled);
        const rest = clause.replace(/"probe"\."([^"]*)"/g, (_, column: string) => {
          expect(COLUMNS).toContain(column);
          return ' ';
        });
        const placeholders = rest.match(/\$[0-9]+/g) ?? [];
        expect(placeholders.map((p) => Number(p.slice(1))).sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
        const words = rest.replace(/\$[0-9]+/g, ' ').replace(/[\s()=<>!,]+/g, ' ').trim();
        for (const word of words === '' ? [] : words.split(' ')) expect(SQL_WORDS).toContain(word);
      }),
      { numRuns: 500 },
    );
  });

  it('binds every value given, each one fitting its column', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COLUMNS).chain((c) => fc.tuple(fc.constant(c), conditionFor(c))), ([column, cond]) => {
        const compiled = compileOrRefuse({ [column]: cond });
        if (compiled === undefined) return;
        const { params } = sqlOf(compiled);
        const bound: Array<[string, unknown]> =
          cond !== null && typeof cond === 'object' && !(cond instanceof Date)
            ? Object.entries(cond).flatMap(([op, v]): Array<[string, unknown]> => (op === 'isNull' ? [] : op === 'in' ? (v as unknown[]).map((item) => [op, item]) : [[op, v]]))
            : [['eq', cond]];
        expect(params).toEqual(bound.map(([, value]) => value));
        for (const [op, value] of bound) if (op !== 'like') expect(fits(column, value)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
