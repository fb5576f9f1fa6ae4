import { describe, expect, it } from '@jest/globals';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { ValidationError } from '../errors/validation.error.js';
import { RpcValidationPipe } from '../rpc-validation.pipe.js';
import { nestedTypeErrors } from './nested-types.js';

class LineDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) @Max(99) quantity!: number;
}

class OrderDto {
  @IsString() customer!: string;
  @IsArray() @ValidateNested({ each: true }) @Type(() => LineDto) lines!: LineDto[];
}

class UntypedDto {
  @ValidateNested() line!: LineDto;
  @IsOptional() @ValidateNested({ each: true }) lines?: LineDto[];
}

class ShipmentDto {
  @ValidateNested() @Type(() => OrderDto) order!: OrderDto;
  @IsOptional() @ValidateNested() @Type(() => LineDto) extra?: LineDto;
}

const pipe = new RpcValidationPipe();
const LINE = { sku: 'KB-101', quantity: 2 };

async function refusal(payload: unknown, metatype: Function): Promise<ValidationError> {
  const error = await pipe.transform(payload, { type: 'body', metatype: metatype as new () => object }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('nested DTO types', () => {
  describe('RpcValidationPipe', () => {
    it('refuses an empty array where each element must be a LineDto, naming the element', async () => {
      // The property test's counterexample (seed 14): class-validator alone passes it.
      const error = await refusal({ customer: '', lines: [[]] }, OrderDto);
      expect(error.failures).toEqual([{ field: 'lines.0', messages: ['each value in nested property lines must be an instance of LineDto'] }]);
    });

    it('refuses an array of valid lines nested in the array of lines', async () => {
      const error = await refusal({ customer: 'c', lines: [LINE, [LINE]] }, OrderDto);
      expect(error.failures.map((f) => f.field)).toEqual(['lines.1']);
    });

    it('refuses an array where one nested object is declared', async () => {
      const error = await refusal({ order: [{ customer: 'c', lines: [LINE] }] }, ShipmentDto);
      expect(error.failures).toEqual([{ field: 'order', messages: ['nested property order must be an instance of OrderDto'] }]);
    });

    it('refuses a nested array at any depth, with its dotted path', async () => {
      const error = await refusal({ order: { customer: 'c', lines: [LINE] }, extra: [] }, ShipmentDto);
      expect(error.failures.map((f) => f.field)).toEqual(['extra']);
      const deep = await refusal({ order: { customer: 'c', lines: [[LINE]] } }, ShipmentDto);
      expect(deep.failures.map((f) => f.field)).toEqual(['order.lines.0']);
    });

    it('passes instances of the declared types, and leaves an absent optional one out', async () => {
      const shipment = (await pipe.transform({ order: { customer: 'c', lines: [LINE, LINE] } }, { type: 'body', metatype: ShipmentDto })) as ShipmentDto;
      expect(shipment.order).toBeInstanceOf(OrderDto);
      expect(shipment.order.lines.map((line) => line instanceof LineDto)).toEqual([true, true]);
      expect(shipment.extra).toBeUndefined();
    });

    it('refuses a collection where one object belongs when no @Type names its class', async () => {
      const error = await refusal({ line: [] }, UntypedDto);
      expect(error.failures).toEqual([{ field: 'line', messages: ['nested property line must be an object, not a collection'] }]);
      const each = await refusal({ line: [], lines: [[]] }, UntypedDto);
      expect(each.failures.map((f) => f.field)).toEqual(['line', 'lines.0']);
    });

    it('still reports class-validator’s own failures first', async () => {
      const error = await refusal({ customer: 'c', lines: [{ sku: 'x', quantity: 0 }] }, OrderDto);
      expect(error.failures.map((f) => f.field)).toEqual(['lines.0.quantity']);
    });
  });

  describe('nestedTypeErrors', () => {
    it('finds nothing in an object whose class has no nested field', () => {
      expect(nestedTypeErrors(Object.assign(new LineDto(), LINE))).toEqual([]);
    });

    it('requires a collection where each element is declared', () => {
      const order = Object.assign(new OrderDto(), { customer: 'c', lines: Object.assign(new LineDto(), LINE) });
      expect(nestedTypeErrors(order)).toMatchObject([{ property: 'lines', constraints: { nestedType: 'nested property lines must be an array of LineDto instances' } }]);
    });
  });
});
