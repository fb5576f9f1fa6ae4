import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError as ClassValidatorError, ValidatorOptions } from 'class-validator';
import { type FieldFailure, ValidationError } from './errors/validation.error.js';
import { NEEDS_ASYNC, type SyncPipe } from './pipeline/sync-pipe.js';
import { nestedTypeErrors } from './validation/nested-types.js';
import { ValidationPlan } from './validation/validation-plan.js';

/** Options the compiled fast path reproduces exactly; any other option keeps every payload on the full path. */
const PLAN_SAFE_OPTIONS = new Set(['exceptionFactory', 'errorHttpStatusCode', 'disableErrorMessages']);
/** Types ValidationPipe leaves unvalidated. */
const UNVALIDATED_TYPES = new Set<unknown>([String, Boolean, Number, Array, Object, Buffer, Date]);

/**
 * Nest's `ValidationPipe` set for messages: transforms payloads into their DTO classes,
 * strips unknown fields, and fails with a `ValidationError` naming each failing field,
 * which reaches the caller as such. A `@ValidateNested()` + `@Type()` field must hold
 * instances of its type (an array, `Set` or `Map` of them with `each`), at any depth: a nested
 * array where one object was declared is refused, where class-validator alone would validate
 * its elements and pass it on.
 *
 * @example
 * app.useGlobalPipes(new RpcValidationPipe());
 */
export class RpcValidationPipe extends ValidationPipe implements SyncPipe {
  private readonly plans: boolean;

  constructor(options: ValidationPipeOptions = {}) {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: true,
      ...options,
      exceptionFactory: options.exceptionFactory ?? ((errors) => new ValidationError(toFieldFailures(errors))),
    });
    this.plans = Object.keys(options).every((key) => PLAN_SAFE_OPTIONS.has(key));
  }

  /**
   * A flat payload that passes is checked by a plan compiled once per DTO class (the same
   * constraints, without class-transformer's and class-validator's per-call machinery); every
   * other payload, and every failure, goes through Nest's ValidationPipe, which words the errors.
   */
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const checked = this.transformSync(value, metadata);
    return checked === NEEDS_ASYNC ? super.transform(value, metadata) : checked;
  }

  /**
   * class-validator's errors, or, when it found none, those of nested fields that hold other
   * values than instances of their `@Type()` (`nestedTypeErrors`), so they are refused
   * as any other failure: through `exceptionFactory`, naming the field (`lines.0`).
   */
  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ClassValidatorError[]> | ClassValidatorError[] {
    const errors = super.validate(object, validatorOptions);
    const orNested = (found: ClassValidatorError[]) => (found.length > 0 ? found : nestedTypeErrors(object));
    return errors instanceof Promise ? errors.then(orNested) : orNested(errors);
  }

  /**
   * The result without a promise, or `NEEDS_ASYNC` when only `transform` can tell (a failure,
   * a payload the plan does not cover): compiled handler pipelines call it first.
   */
  transformSync(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!this.plans) return NEEDS_ASYNC;
    const { metatype, type } = metadata;
    if (!metatype || type === 'custom' || UNVALIDATED_TYPES.has(metatype)) {
      // ValidationPipe hands these back as they are, except route params and queries it converts.
      return type === 'param' || type === 'query' ? NEEDS_ASYNC : value;
    }
    // A plan covers no nested DTO (`ValidationPlan` has none for `@ValidateNested`), so what it
    // accepts has no nested field for `validate` to check.
    return ValidationPlan.for(metatype)?.apply(value) ?? NEEDS_ASYNC;
  }
}

/** Flattens class-validator's nested errors into one failure per field, with dotted paths. */
export function toFieldFailures(errors: ClassValidatorError[], parent = ''): FieldFailure[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...toFieldFailures(error.children ?? [], field)];
  });
}
