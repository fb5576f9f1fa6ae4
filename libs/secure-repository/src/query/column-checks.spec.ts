import { describe, expect, it } from '@jest/globals';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { columnCheck } from './column-checks.js';

@Entity({ name: 'kinds' })
class Kinds {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'int2' })
  small!: number;

  @Column({ type: 'char' })
  letter!: string;

  @Column({ type: 'varchar', length: 3 })
  short!: string;

  @Column({ type: 'numeric', precision: 10, scale: 2 })
  price!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'time' })
  opens!: string;

  @Column({ type: 'enum', enum: ['new', 'paid'] })
  status!: string;

  @Column({ type: 'jsonb' })
  payload!: object;

  @Column({ type: 'inet' })
  address!: string;
}

/** The metadata of `Kinds` without a database. */
class OfflineDataSource extends DataSource {
  async build(): Promise<this> {
    await this.buildMetadatas();
    return this;
  }
}

const source = await new OfflineDataSource({ type: 'postgres', entities: [Kinds] }).build();
const metadata = source.getMetadata(Kinds);

/** The reason `value` is refused for `field`, or undefined when it fits. */
function check(field: keyof Kinds, value: unknown): string | undefined {
  const column = metadata.findColumnWithPropertyName(field)!;
  return columnCheck(column, String(source.driver.normalizeType(column)))(value);
}

describe('columnCheck', () => {
  it.each<[keyof Kinds, unknown]>([
    ['id', '-9223372036854775808'],
    ['id', 9007199254740991],
    ['id', 2n ** 63n - 1n],
    ['small', -32768],
    ['letter', 'é'],
    ['short', '😀😀😀'],
    ['price', '12.50'],
    ['price', 12.5],
    ['at', new Date(0)],
    ['at', '2026-11-27T15:00:00.123Z'],
    ['at', '2024-02-29'],
    ['at', '2026-11-27 24:00:00+14:00'],
    ['opens', '09:30'],
    ['opens', '24:00:00'],
    ['status', 'paid'],
    ['payload', { nested: ['any'] }],
    ['address', '10.0.0.1'],
  ])('accepts %s = %p', (field, value) => {
    expect(check(field, value)).toBeUndefined();
  });

  it.each<[keyof Kinds, unknown, string]>([
    ['id', '9223372036854775808', 'must be a whole number from -9223372036854775808 to 9223372036854775807'],
    ['id', 2 ** 53, 'must be a whole number'],
    ['id', ' 1', 'must be a whole number'],
    ['id', '01', 'must be a whole number'],
    ['small', 32768, 'must be a whole number from -32768 to 32767'],
    ['letter', 'ab', 'must be at most 1 character'],
    ['short', 'abcd', 'must be at most 3 characters'],
    ['short', 3, 'must be a string'],
    ['price', '1e3', 'must be a number'],
    ['price', true, 'must be a number'],
    ['at', 'tomorrow', 'must be a Date or an ISO 8601 date-time'],
    ['at', 1700000000000, 'must be a Date or an ISO 8601 date-time'],
    ['at', '2020-13-45', 'must be a Date or an ISO 8601 date-time'],
    ['at', '2021-02-29', 'must be a Date or an ISO 8601 date-time'],
    ['at', '0000-01-01', 'must be a Date or an ISO 8601 date-time'],
    ['at', '2020-01-01T25:00', 'must be a Date or an ISO 8601 date-time'],
    ['at', '2020-01-01T24:00:01', 'must be a Date or an ISO 8601 date-time'],
    ['at', '2020-01-01T00:00:00+99:99', 'must be a Date or an ISO 8601 date-time'],
    ['opens', "09:30'; --", 'must be a time of day (HH:MM[:SS])'],
    ['opens', '25:00', 'must be a time of day (HH:MM[:SS])'],
    ['opens', '10:61', 'must be a time of day (HH:MM[:SS])'],
    ['status', 'refunded', 'must be one of "new", "paid"'],
    ['address', '10.0.0.1\u0000', 'must not hold a NUL character'],
    ['address', '\uDBFF', 'must not hold a lone UTF-16 surrogate'],
  ])('refuses %s = %p', (field, value, reason) => {
    expect(check(field, value)).toEqual(expect.stringContaining(reason));
  });
});
