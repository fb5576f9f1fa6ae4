import { getMetadataStorage, ValidationError as ClassValidatorError, ValidationTypes } from 'class-validator';
import { createRequire } from 'node:module';

/** What class-transformer's (unexported) metadata storage keeps of a `@Type()`. */
interface TypeMetadata {
  typeFunction(options?: { newObject: unknown; object: Record<string, unknown>; property: string }): unknown;
  options?: { discriminator?: { subTypes?: Array<{ value: unknown }> } };
}
interface TransformerStorage {
  findTypeMetadata(target: Function, property: string): TypeMetadata | undefined;
}
const transformerStorage = (createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: TransformerStorage }).defaultMetadataStorage;

/** One `@ValidateNested()` property: the classes its value (or each element, with `each`) must be instances of, none without `@Type()`. */
interface NestedField {
  readonly name: string;
  readonly each: boolean;
  readonly types: (object: object) => Function[];
}

/** Types `@Type()` may name that no instance check applies to (primitives, plain containers). */
const UNCHECKED_TYPES: unknown[] = [String, Number, Boolean, Object, Array, Date, Map, Set];
/** The constraint name of a refusal, as class-validator names its own (`isString`, `nestedValidation`). */
export const NESTED_TYPE_CONSTRAINT = 'nestedType';

const fieldsByClass = new WeakMap<Function, NestedField[]>();

/**
 * The errors of an object class-validator passed whose `@ValidateNested()` + `@Type()` fields
 * hold something else than instances of their type (arrays of them, or a `Set`/`Map`, with
 * `each`), nested objects included; a nested field without `@Type()` may not hold a collection
 * where one object belongs (class-validator passes `[]` there). class-validator validates the elements of an array it
 * finds where one object was declared, and class-transformer builds an array of instances
 * from a nested array, so `{ lines: [[{…}]] }` or `{ lines: [[]] }` would pass for
 * `lines: LineDto[]` and the handler would get an array where a `LineDto` was promised.
 * `null` and `undefined` are left to class-validator (`@IsOptional()` or refused).
 */
export function nestedTypeErrors(object: object, seen = new Set<object>()): ClassValidatorError[] {
  if (seen.has(object)) return [];
  seen.add(object);
  const errors: ClassValidatorError[] = [];
  for (const field of nestedFieldsOf(object.constructor)) {
    const value = (object as Record<string, unknown>)[field.name];
    if (value === null || value === undefined) continue;
    const types = field.types(object);
    const error = field.each ? eachError(field.name, value, types, seen) : valueError(field.name, value, types, `nested property ${field.name}`, seen);
    if (error !== undefined) errors.push(error);
  }
  return errors;
}

function eachError(name: string, value: unknown, types: Function[], seen: Set<object>): ClassValidatorError | undefined {
  if (!isCollection(value)) {
    return failure(name, `nested property ${name} must be an array of ${types.length === 0 ? 'objects' : `${typeNames(types)} instances`}`);
  }
  const entries: Iterable<[unknown, unknown]> = value instanceof Map ? value.entries() : Array.from(value as Iterable<unknown>).entries();
  const children: ClassValidatorError[] = [];
  for (const [key, item] of entries) {
    const child = valueError(String(key), item, types, `each value in nested property ${name}`, seen);
    if (child !== undefined) children.push(child);
  }
  return children.length === 0 ? undefined : Object.assign(new ClassValidatorError(), { property: name, children });
}

/** With no class known (no `@Type()`, or one naming none), any object but a collection is left to class-validator. */
function valueError(property: string, value: unknown, types: Function[], subject: string, seen: Set<object>): ClassValidatorError | undefined {
  if (types.length === 0) return isCollection(value) ? failure(property, `${subject} must be an object, not a collection`) : undefined;
  if (!types.some((type) => value instanceof type)) return failure(property, `${subject} must be an instance of ${typeNames(types)}`);
  const children = nestedTypeErrors(value as object, seen);
  return children.length === 0 ? undefined : Object.assign(new ClassValidatorError(), { property, children });
}

function isCollection(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

function failure(property: string, message: string): ClassValidatorError {
  return Object.assign(new ClassValidatorError(), { property, constraints: { [NESTED_TYPE_CONSTRAINT]: message }, children: [] });
}

function typeNames(types: Function[]): string {
  return types.map((type) => type.name).join(' or ');
}

function nestedFieldsOf(target: Function | undefined): NestedField[] {
  if (typeof target !== 'function') return [];
  let fields = fieldsByClass.get(target);
  if (fields === undefined) {
    fields = compileNestedFields(target);
    fieldsByClass.set(target, fields);
  }
  return fields;
}

function compileNestedFields(target: Function): NestedField[] {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', false, false, undefined);
  const fields = new Map<string, NestedField>();
  for (const metadata of metadatas) {
    if (metadata.type !== ValidationTypes.NESTED_VALIDATION) continue;
    const typeMetadata = transformerStorage.findTypeMetadata(target, metadata.propertyName);
    const name = metadata.propertyName;
    // One `each` among the property's nested rules makes it a collection.
    const each = metadata.each === true || fields.get(name)?.each === true;
    fields.set(name, { name, each, types: typeMetadata === undefined ? () => [] : (object) => declaredTypes(typeMetadata, object, name) });
  }
  return [...fields.values()];
}

/** The classes `@Type()` names: its discriminator's subtypes, or what its function returns. */
function declaredTypes(metadata: TypeMetadata, object: object, property: string): Function[] {
  const subTypes = metadata.options?.discriminator?.subTypes;
  let types: unknown[];
  if (subTypes !== undefined) types = subTypes.map((subType) => subType.value);
  else {
    try {
      types = [metadata.typeFunction({ newObject: object, object: object as Record<string, unknown>, property })];
    } catch {
      // A type function that needs the plain source (gone by now) cannot be asked again.
      types = [];
    }
  }
  return types.filter((type): type is Function => typeof type === 'function' && !UNCHECKED_TYPES.includes(type));
}
