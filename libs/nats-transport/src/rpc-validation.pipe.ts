import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { type FieldFailure, ValidationError } from './errors/validation.error.js';

/**
 * Nest's `ValidationPipe` set for messages: transforms payloads into their DTO classes,
 * strips unknown fields, and fails with a `ValidationError` naming each failing field,
 * which reaches the caller as such.
 *
 * @example
 * app.useGlobalPipes(new RpcValidationPipe());
 */
export class RpcValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions = {}) {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: true,
      ...options,
      exceptionFactory: options.exceptionFactory ?? ((errors) => new ValidationError(toFieldFailures(errors))),
    });
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
