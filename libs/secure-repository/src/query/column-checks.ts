import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/**
 * Checks one value against one column: `undefined` when it fits, else the reason it does not
 * ("must be a UUID"). Derived once per column from TypeORM's metadata, so a call costs a type
 * test and at most one regular expression.
 */
export type ColumnCheck = (value: unknown) => string | undefined;

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};
const DECIMAL_TYPES = new Set(['numeric', 'real', 'double precision', 'money']);
const TEXT_TYPES = new Set(['character varying', 'character', 'text', 'citext']);
const TIMESTAMP_TYPES = new Set(['timestamp without time zone', 'timestamp with time zone', 'date']);
const TIME_TYPES = new Set(['time without time zone', 'time with time zone']);
const JSON_TYPES = new Set(['json', 'jsonb', 'simple-json']);

/** Decimal digits, no sign other than `-`, no exponent, no leading zero: what `BigInt()` reads exactly. */
const WHOLE_NUMBER = /^-?(0|[1-9][0-9]{0,19})$/;
const DECIMAL_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^([0-9]{4})-([0-9]{2})-([0-9]{2})([T ]([0-9]{2}):([0-9]{2})(:([0-9]{2})(\.[0-9]{1,6})?)?)?(Z|[+-]([0-9]{2})(:?([0-9]{2}))?)?$/;
const TIME = /^([0-9]{2}):([0-9]{2})(:([0-9]{2})(\.[0-9]{1,6})?)?(Z|[+-]([0-9]{2})(:?([0-9]{2}))?)?$/;
/** Postgres stores no NUL in text, and turns a lone surrogate into U+FFFD without a word. */
const NUL = /\0/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The check of `column`, whose type the driver normalized to `type` (`int4` → `integer`). */
export function columnCheck(column: ColumnMetadata, type: string): ColumnCheck {
  if (JSON_TYPES.has(String(column.type)) || JSON_TYPES.has(type) || column.isArray) return () => undefined;
  const range = INTEGER_RANGES[type];
  if (range !== undefined) return wholeNumberCheck(...range);
  if (DECIMAL_TYPES.has(type)) return decimalCheck;
  if (TEXT_TYPES.has(type)) return textCheck(maxLength(column, type));
  if (type === 'uuid') return (value) => (typeof value === 'string' && UUID.test(value) ? undefined : 'must be a UUID');
  if (type === 'boolean') return (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');
  if (TIMESTAMP_TYPES.has(type)) return stringOrDateCheck(isTimestamp, 'must be a Date or an ISO 8601 date-time');
  if (TIME_TYPES.has(type)) return (value) => (typeof value === 'string' && isTime(value) ? undefined : 'must be a time of day (HH:MM[:SS])');
  if (type === 'enum') return enumCheck(column.enum ?? []);
  return cleanTextReason;
}

/** The check of a `like` pattern: a clean string, of any length. */
export function patternCheck(value: unknown): string | undefined {
  return typeof value === 'string' ? cleanTextReason(value) : 'must be a string pattern';
}

/** Whether `type` (normalized) holds text, so `like` means something on it. */
export function isTextType(type: string): boolean {
  return TEXT_TYPES.has(type);
}

function wholeNumberCheck(min: bigint, max: bigint): ColumnCheck {
  const reason = `must be a whole number from ${min} to ${max}`;
  const [low, high] = [Number(min), Number(max)];
  return (value) => {
    switch (typeof value) {
      case 'number':
        return Number.isSafeInteger(value) && value >= low && value <= high ? undefined : reason;
      case 'bigint':
        return value >= min && value <= max ? undefined : reason;
      case 'string': {
        if (!WHOLE_NUMBER.test(value)) return reason;
        const n = BigInt(value);
        return n >= min && n <= max ? undefined : reason;
      }
      default:
        return reason;
    }
  };
}

function decimalCheck(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return undefined; // finiteness: assertPlainValue
  return typeof value === 'string' && DECIMAL_NUMBER.test(value) ? undefined : 'must be a number';
}

function textCheck(max: number | undefined): ColumnCheck {
  return (value) => {
    if (typeof value !== 'string') return 'must be a string';
    const dirty = cleanTextReason(value);
    if (dirty !== undefined) return dirty;
    // Postgres counts characters (code points); a UTF-16 length within bounds is always fine.
    if (max !== undefined && value.length > max && countCodePoints(value) > max) return `must be at most ${max} character${max === 1 ? '' : 's'}`;
    return undefined;
  };
}

function cleanTextReason(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (NUL.test(value)) return 'must not hold a NUL character';
  if (LONE_SURROGATE.test(value)) return 'must not hold a lone UTF-16 surrogate';
  return undefined;
}

function stringOrDateCheck(fits: (value: string) => boolean, reason: string): ColumnCheck {
  return (value) => (value instanceof Date || (typeof value === 'string' && fits(value)) ? undefined : reason);
}

/**
 * An ISO 8601 date-time that is on the calendar, as Postgres reads it: `2021-02-29`, year 0,
 * hour 25 or an offset of +99:99 have the shape but Postgres refuses them (22008, 22009).
 */
function isTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 5, 6, 8, 11, 13].map((i) => Number(m[i] ?? 0));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (year < 1 || days === undefined || day < 1 || day > days) return false;
  return onTheClock(hour, minute, second, offsetHours, offsetMinutes);
}

/** A time of day as Postgres reads it: not `25:00` or `10:61`. */
function isTime(value: string): boolean {
  const m = TIME.exec(value);
  if (m === null) return false;
  const [hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 4, 7, 9].map((i) => Number(m[i] ?? 0));
  return onTheClock(hour, minute, second, offsetHours, offsetMinutes);
}

// 24:00:00 is midnight at the end of the day; 60 seconds is a leap second; offsets reach ±15:59.
function onTheClock(hour: number, minute: number, second: number, offsetHours: number, offsetMinutes: number): boolean {
  if (hour > 24 || (hour === 24 && minute + second > 0) || minute > 59 || second > 60) return false;
  return offsetHours <= 15 && offsetMinutes <= 59;
}

function enumCheck(values: ReadonlyArray<string | number>): ColumnCheck {
  const allowed = new Set<unknown>(values);
  const reason = `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return (value) => (allowed.has(value) ? undefined : reason);
}

/** The declared length of a text column; `char` without one holds one character, as in Postgres. */
function maxLength(column: ColumnMetadata, type: string): number | undefined {
  const length = Number.parseInt(String(column.length), 10);
  if (Number.isInteger(length) && length > 0) return length;
  return type === 'character' ? 1 : undefined;
}

function countCodePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) i += 1;
    count += 1;
  }
  return count;
}
