import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { type FieldFailure, ValidationError } from './errors/validation.error.js';
import { ValidationPlan } from './validation/validation-plan.js';

/** Options the compiled fast path reproduces exactly; any other option keeps every payload on the full path. */
const PLAN_SAFE_OPTIONS = new Set(['exceptionFactory', 'errorHttpStatusCode', 'disableErrorMessages']);
/** Types ValidationPipe leaves unvalidated. */
const UNVALIDATED_TYPES: unknown[] = [String, Boolean, Number, Array, Object, Buffer, Date];

/**
 * Nest's `ValidationPipe` set for messages: transforms payloads into their DTO classes,
 * strips unknown fields, and fails with a `ValidationError` naming each failing field,
 * which reaches the caller as such.
 *
 * @example
 * app.useGlobalPipes(new RpcValidationPipe());
 */
export class RpcValidationPipe extends ValidationPipe {
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
    const { metatype } = metadata;
    if (this.plans && metatype && metadata.type !== 'custom' && !UNVALIDATED_TYPES.includes(metatype)) {
      const checked = ValidationPlan.for(metatype)?.apply(value);
      if (checked !== undefined) return checked;
    }
    return super.transform(value, metadata);
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
