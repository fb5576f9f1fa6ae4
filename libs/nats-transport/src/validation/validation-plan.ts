import classTransformer from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { createRequire } from 'node:module';
import { compilePlanFunction, type PlanFunction, type PropertyPlan } from './plan-function.js';

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
  /** The validated instance, or `undefined` when the full path must decide. */
  readonly apply: PlanFunction;

  private constructor(apply: PlanFunction) {
    this.apply = apply;
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

  private static compile(metatype: Function): ValidationPlan | null {
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false, undefined);
    if (metadatas.length === 0 || hasTransformerMetadata(metatype, metadatas)) return null;
    const byName = new Map<string, PropertyPlan>();
    for (const metadata of metadatas) {
      if (metadata.groups?.length || metadata.always) return null;
      // A symbol-keyed property has no name a plan can write into its code.
      if (typeof metadata.propertyName !== 'string') return null;
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
    const apply = compilePlanFunction({ metatype: metatype as new () => object, properties: [...byName.values()], allowed, assignable });
    return apply === null ? null : new ValidationPlan(apply);
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
