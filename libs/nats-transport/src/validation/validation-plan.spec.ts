import { describe, expect, it } from '@jest/globals';
import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  Allow,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  Validate,
  ValidateIf,
  ValidateNested,
  type ValidatorConstraintInterface,
  ValidatorConstraint,
} from 'class-validator';
import { ValidationError } from '../errors/validation.error.js';
import { RpcValidationPipe } from '../rpc-validation.pipe.js';
import { ValidationPlan } from './validation-plan.js';

@ValidatorConstraint({ name: 'even' })
class Even implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return typeof value === 'number' && value % 2 === 0;
  }
}

class Reservation {
  @IsString() @Matches(/^[A-Z0-9-]{1,32}$/) sku!: string;
  @IsInt() @Min(1) @Max(1000) quantity!: number;
  @IsOptional() @IsString() @Length(1, 64) note?: string;
  @Validate(Even) @IsOptional() pairs?: number;
  @ValidateIf((o: Reservation) => o.quantity > 10) @IsString() reason?: string;
  @Allow() tag?: unknown;
  /** Undecorated, with a default: whitelisting removes it. */
  source = 'http';
}

/** Names a plan writes into its code as literals: quotes, a line separator, code-like text, an index. */
class OddNames {
  @IsString() 'sku-code'!: string;
  @IsString() @IsOptional() 'say "hi"'?: string;
  @IsInt() @IsOptional() 'line\u2028break'?: number;
  @IsString() @IsOptional() "'];throw new Error('injected');//"?: string;
  @IsInt() @Min(0) @IsOptional() '0'?: number;
}

const TAG = Symbol('tag');
class WithSymbolKey {
  @IsString() name!: string;
  @IsString() [TAG]: unknown = 'kept';
  @IsOptional() @IsString() undefined?: string;
}

class Line {
  @IsString() sku!: string;
}

class WithNested {
  @ValidateNested() @Type(() => Line) line!: Line;
}

class WithTransform {
  @Transform(({ value }) => String(value).trim()) @IsString() name!: string;
}

class WithAsync {
  @IsString() id!: string;
}
registerDecorator({
  name: 'remoteCheck',
  target: WithAsync,
  propertyName: 'id',
  async: true,
  validator: { validate: async () => true },
});

class WithGroups {
  @IsString({ groups: ['admin'] }) role!: string;
}

const body = (metatype: Function): ArgumentMetadata => ({ type: 'body', metatype: metatype as ArgumentMetadata['metatype'] });
/** What Nest's own pipe makes of a payload, set as RpcValidationPipe sets it. */
const reference = new ValidationPipe({ transform: true, whitelist: true, forbidUnknownValues: true, exceptionFactory: (errors) => errors });
const fast = new RpcValidationPipe();

async function outcome(pipe: ValidationPipe, payload: unknown, metatype: Function): Promise<{ ok: unknown; proto?: unknown } | { failed: true }> {
  try {
    // A copy made in this realm: payloads are parsed JSON, with this realm's Object.prototype.
    const copy = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
    const value = await pipe.transform(copy, body(metatype));
    return { ok: JSON.parse(JSON.stringify(value)), proto: Object.getPrototypeOf(value) };
  } catch {
    return { failed: true };
  }
}

const PAYLOADS: Array<[string, unknown]> = [
  ['a valid reservation', { sku: 'KB-101', quantity: 3 }],
  ['extra keys', { sku: 'KB-101', quantity: 3, admin: true, source: 'evil' }],
  ['an optional note', { sku: 'KB-101', quantity: 3, note: 'gift' }],
  ['a null optional note', { sku: 'KB-101', quantity: 3, note: null }],
  ['a bad sku', { sku: "x'; DROP TABLE--", quantity: 3 }],
  ['a missing quantity', { sku: 'KB-101' }],
  ['a string quantity', { sku: 'KB-101', quantity: '3' }],
  ['an odd pair count', { sku: 'KB-101', quantity: 3, pairs: 3 }],
  ['an even pair count', { sku: 'KB-101', quantity: 3, pairs: 4 }],
  ['a big order without reason', { sku: 'KB-101', quantity: 20 }],
  ['a big order with reason', { sku: 'KB-101', quantity: 20, reason: 'party' }],
  ['a nested value', { sku: 'KB-101', quantity: 3, tag: { a: 1 } }],
  ['a constructor key', { sku: 'KB-101', quantity: 3, constructor: 'x' }],
  ['an array', [{ sku: 'KB-101', quantity: 3 }]],
  ['a string', 'KB-101'],
  ['nothing', undefined],
];

describe('ValidationPlan', () => {
  it.each(PAYLOADS)('agrees with ValidationPipe on %s', async (_name, payload) => {
    const expected = await outcome(reference, payload, Reservation);
    const actual = await outcome(fast, payload, Reservation);
    expect(actual).toEqual(expected);
  });

  it('answers a valid flat payload itself, as an instance holding only the decorated properties', () => {
    const checked = ValidationPlan.for(Reservation)!.apply({ sku: 'KB-101', quantity: 3, admin: true });
    expect(checked).toBeInstanceOf(Reservation);
    expect(checked).toEqual(Object.assign(Object.create(Reservation.prototype), { sku: 'KB-101', quantity: 3 }));
  });

  it('leaves a failing payload to the full path, which names the fields', async () => {
    expect(ValidationPlan.for(Reservation)!.apply({ sku: 'KB-101', quantity: 0 })).toBeUndefined();
    const error = await fast.transform({ sku: 'KB-101', quantity: 0 }, body(Reservation)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).failures).toEqual([{ field: 'quantity', messages: ['quantity must not be less than 1'] }]);
  });

  it('keeps the payload\'s key order, as ValidationPipe does', async () => {
    const payload = { note: 'gift', quantity: 3, sku: 'KB-101' };
    const expected = await outcome(reference, payload, Reservation);
    const actual = await outcome(fast, payload, Reservation);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
    expect(Object.keys(ValidationPlan.for(Reservation)!.apply(payload)!)).toEqual(['note', 'quantity', 'sku']);
  });

  it.each<[string, unknown]>([
    ['valid odd names', { 'sku-code': 'a', 'say "hi"': 'b', 'line\u2028break': 2, "'];throw new Error('injected');//": 'c', '0': 4 }],
    ['a bad quoted value', { 'sku-code': 'a', 'say "hi"': 1 }],
    ['a negative index', { 'sku-code': 'a', '0': -1 }],
    ['a missing required name', { 'say "hi"': 'b' }],
  ])('plans properties with any name as data, never code (%s)', async (_name, payload) => {
    expect(ValidationPlan.for(OddNames)).not.toBeNull();
    expect(await outcome(fast, payload, OddNames)).toEqual(await outcome(reference, payload, OddNames));
  });

  it('answers a valid payload of odd names itself', () => {
    const payload = { 'sku-code': 'a', "'];throw new Error('injected');//": 'c', '0': 4, extra: 1 };
    const checked = ValidationPlan.for(OddNames)!.apply(payload);
    expect(checked).toBeInstanceOf(OddNames);
    expect({ ...checked }).toEqual({ 'sku-code': 'a', "'];throw new Error('injected');//": 'c', '0': 4 });
  });

  it('leaves every payload to the full path where the runtime forbids compiling code', async () => {
    class Unplanned {
      @IsString() sku!: string;
    }
    const realFunction = globalThis.Function;
    // What `--disallow-code-generation-from-strings` makes of `new Function`.
    globalThis.Function = function refuse() {
      throw new EvalError('Code generation from strings disallowed for this context');
    } as unknown as FunctionConstructor;
    let plan: ValidationPlan | null;
    try {
      plan = ValidationPlan.for(Unplanned);
    } finally {
      globalThis.Function = realFunction;
    }
    expect(plan).toBeNull();
    await expect(fast.transform({ sku: 'KB-101' }, body(Unplanned))).resolves.toBeInstanceOf(Unplanned);
    await expect(fast.transform({ sku: 7 }, body(Unplanned))).rejects.toBeInstanceOf(ValidationError);
  });

  it.each([
    ['nested validation', WithNested],
    ['class-transformer decorators', WithTransform],
    ['an async validator', WithAsync],
    ['validation groups', WithGroups],
    ['a symbol-keyed property', WithSymbolKey],
  ])('has no plan for a class with %s', (_name, metatype) => {
    expect(ValidationPlan.for(metatype)).toBeNull();
  });

  it.each<[string, unknown]>([
    ['a valid name', { name: 'a' }],
    ['a property named undefined', { name: 'a', undefined: 'x' }],
    ['a bad property named undefined', { name: 'a', undefined: 5 }],
  ])('agrees with ValidationPipe on a class with a symbol-keyed property (%s)', async (_name, payload) => {
    expect(await outcome(fast, payload, WithSymbolKey)).toEqual(await outcome(reference, payload, WithSymbolKey));
  });

  it('keeps every payload on the full path when the pipe has options the plan does not reproduce', async () => {
    const grouped = new RpcValidationPipe({ groups: ['admin'] });
    await expect(grouped.transform({ role: 5 }, body(WithGroups))).rejects.toBeInstanceOf(ValidationError);
    const strict = new RpcValidationPipe({ forbidNonWhitelisted: true });
    await expect(strict.transform({ sku: 'KB-101', quantity: 3, admin: true }, body(Reservation))).rejects.toBeInstanceOf(ValidationError);
  });
});
