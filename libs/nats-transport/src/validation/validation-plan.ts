import classTransformer from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { createRequire } from 'node:module';
import { isThenable } from '../maybe-promise.js';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** The parts of class-transformer's (unexported) metadata storage that tell whether a class uses its decorators. */
interface TransformerMetadata {
  getStrategy(target: Function): string;
  getExposedMetadatas(target: Function): unknown[];
  getExcludedMetadatas(target: Function): unknown[];
  findTypeMetadata(target: Function, property: string): unknown;
  findTransformMetadatas(target: Function, property: string, type: number): unknown[];
}
const transformerMetadata = (createRequire(import.meta.url)('class-transformer/cjs/storage.js') as { defaultMetadataStorage: TransformerMetadata }).defaultMetadataStorage;

/** One check of one property: a synchronous class-validator constraint and its arguments. */
interface Check {
  validateIf?: (object: object, value: unknown) => boolean;
  validate(value: unknown, args: ValidationArguments): unknown;
  constraints: unknown[];
}

interface PropertyPlan {
  name: string;
  /** `@IsOptional()` and `@ValidateIf()`: when one says no, the property is not checked. */
  conditions: Array<(object: object, value: unknown) => boolean>;
  checks: Check[];
}

/** Keys Nest's ValidationPipe strips from payloads (prototype pollution): such payloads take the full path. */
const STRIPPED_KEYS = ['__proto__', 'prototype', 'constructor'];
const plans = new WeakMap<Function, ValidationPlan | null>();

/**
 * What `ValidationPipe` (`transform`, `whitelist`, `forbidUnknownValues`) does to a flat
 * payload, compiled once per DTO class from class-validator's metadata. A payload whose values
 * are all primitives becomes an instance of the class holding only its decorated properties,
 * when every constraint holds. Anything the plan does not cover exactly (nested values, async
 * or nested validators, groups, class-transformer decorators) makes `apply` answer `undefined`,
 * and so does a failed constraint: the pipe's full path then runs and reports the errors as
 * class-validator words them. So the plan never accepts what the full path would refuse.
 */
export class ValidationPlan {
  /** The class's name, read once: V8 looks a function's name up on every read. */
  private readonly targetName: string;

  private constructor(
    private readonly metatype: new () => object,
    private readonly properties: PropertyPlan[],
    /** Decorated properties: the whitelist. */
    private readonly allowed: ReadonlySet<string>,
    /** Decorated properties plainToInstance assigns (not read-only accessors of the class). */
    private readonly assignable: ReadonlySet<string>,
  ) {
    this.targetName = metatype.name;
  }

  /** The plan of a DTO class, or null when its metadata is beyond what a plan covers. */
  static for(metatype: Function): ValidationPlan | null {
    let plan = plans.get(metatype);
    if (plan === undefined) {
      plan = ValidationPlan.compile(metatype);
      plans.set(metatype, plan);
    }
    return plan;
  }

  /** The validated instance, or `undefined` when the full path must decide. */
  apply(value: unknown): object | undefined {
    if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
    const source = value as Record<string, unknown>;
    for (const key of STRIPPED_KEYS) if (Object.hasOwn(source, key)) return undefined;
    const instance = new this.metatype() as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const item = source[key];
      if (item !== null && typeof item === 'object') return undefined;
      if (this.assignable.has(key) && !(instance[key] instanceof Function)) instance[key] = item;
    }
    // Whitelisting also drops what the constructor set on undecorated properties.
    for (const key of Object.keys(instance)) if (!this.allowed.has(key)) delete instance[key];
    for (const property of this.properties) if (!this.holds(instance, property)) return undefined;
    return instance;
  }

  private static compile(metatype: Function): ValidationPlan | null {
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false, undefined);
    if (metadatas.length === 0 || hasTransformerMetadata(metatype, metadatas)) return null;
    const byName = new Map<string, PropertyPlan>();
    for (const metadata of metadatas) {
      if (metadata.groups?.length || metadata.always) return null;
      const property = byName.get(metadata.propertyName) ?? { name: metadata.propertyName, conditions: [], checks: [] };
      byName.set(metadata.propertyName, property);
      switch (metadata.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
        case ValidationTypes.IS_DEFINED:
          for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
            if (constraint.async) return null;
            const validator = constraint.instance as { validate(value: unknown, args: ValidationArguments): unknown };
            property.checks.push({ validateIf: metadata.validateIf, validate: validator.validate.bind(validator), constraints: metadata.constraints });
          }
          break;
        default:
          // Nested and promise validations need the full path.
          return null;
      }
    }
    const allowed = new Set(byName.keys());
    const assignable = new Set([...allowed].filter((name) => {
      const descriptor = Object.getOwnPropertyDescriptor(metatype.prototype, name);
      return descriptor === undefined || descriptor.set !== undefined;
    }));
    return new ValidationPlan(metatype as new () => object, [...byName.values()], allowed, assignable);
  }

  private holds(instance: Record<string, unknown>, property: PropertyPlan): boolean {
    const value = instance[property.name];
    for (const condition of property.conditions) if (!condition(instance, value)) return true;
    for (const check of property.checks) {
      if (check.validateIf !== undefined && !check.validateIf(instance, value)) continue;
      const args = { targetName: this.targetName, property: property.name, object: instance, value, constraints: check.constraints };
      const valid = check.validate(value, args);
      if (!valid || isThenable(valid)) return false;
    }
    return true;
  }
}

// @Type, @Transform, @Expose and @Exclude change what plainToInstance builds: no plan for those.
function hasTransformerMetadata(metatype: Function, metadatas: ValidationMetadata[]): boolean {
  const storage = transformerMetadata;
  if (storage.getStrategy(metatype) !== 'none') return true;
  if (storage.getExposedMetadatas(metatype).length > 0 || storage.getExcludedMetadatas(metatype).length > 0) return true;
  const plainToClass = classTransformer.TransformationType.PLAIN_TO_CLASS;
  return metadatas.some(
    (m) => storage.findTypeMetadata(metatype, m.propertyName) !== undefined || storage.findTransformMetadatas(metatype, m.propertyName, plainToClass).length > 0,
  );
}
