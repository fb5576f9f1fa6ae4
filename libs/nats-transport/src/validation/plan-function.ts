import type { ValidationArguments } from 'class-validator';
import { isThenable } from '../maybe-promise.js';

/** One check of one property: a synchronous class-validator constraint and its arguments. */
export interface Check {
  validateIf?: (object: object, value: unknown) => boolean;
  validate(value: unknown, args: ValidationArguments): unknown;
  constraints: unknown[];
}

export interface PropertyPlan {
  name: string;
  /** `@IsOptional()` and `@ValidateIf()`: when one says no, the property is not checked. */
  conditions: Array<(object: object, value: unknown) => boolean>;
  checks: Check[];
}

/** What a plan is compiled from: the DTO class and its decorated properties. */
export interface PlanParts {
  metatype: new () => object;
  properties: PropertyPlan[];
  /** Decorated properties: the whitelist. */
  allowed: ReadonlySet<string>;
  /** Decorated properties plainToInstance assigns (not read-only accessors of the class). */
  assignable: ReadonlySet<string>;
}

/** A plan's `apply`: the validated instance, or `undefined` when the full path must decide. */
export type PlanFunction = (value: unknown) => object | undefined;

/**
 * Writes a plan's `apply` out for its DTO: each property read and written by its name, each
 * check a direct call. V8 then specializes it to the payload's shape; a loop over the plan's
 * tables would look every property up by key instead (about 2,000 instructions more per message
 * on a three-property DTO). Property names enter the code only as JSON string literals; the
 * class, its checks and their arguments are passed in. Returns null where the runtime refuses
 * to compile code (`--disallow-code-generation-from-strings`): the full path then validates.
 */
export function compilePlanFunction({ metatype, properties, allowed, assignable }: PlanParts): PlanFunction | null {
  const names: string[] = [];
  const values: unknown[] = [];
  const pass = (value: unknown): string => {
    names.push(`$${values.length}`);
    values.push(value);
    return names[names.length - 1]!;
  };
  const Metatype = pass(metatype);
  const targetName = pass(metatype.name);
  const thenable = pass(isThenable);
  const body = `'use strict';
return function apply(value) {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  // Keys Nest's ValidationPipe strips from payloads (prototype pollution) take the full path.
  if (Object.hasOwn(value, '__proto__') || Object.hasOwn(value, 'prototype') || Object.hasOwn(value, 'constructor')) return undefined;
  const instance = new ${Metatype}();
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    switch (keys[i]) {
${[...assignable].map((name) => assignment(name)).join('\n')}
      default: {
        const item = value[keys[i]];
        if (item !== null && typeof item === 'object') return undefined;
      }
    }
  }
  // Whitelisting also drops what the constructor set on undecorated properties.
  for (const key of Object.keys(instance)) {
    switch (key) {
${[...allowed].map((name) => `      case ${literal(name)}:`).join('\n')}
        break;
      default:
        delete instance[key];
    }
  }
${properties.map((property) => propertyChecks(property, pass, targetName, thenable)).join('\n')}
  return instance;
};`;
  try {
    return new Function(...names, body)(...values) as PlanFunction;
  } catch (error) {
    if (error instanceof EvalError) return null;
    throw error;
  }
}

/** A decorated property of the payload: a primitive is assigned unless the instance has a method there. */
function assignment(name: string): string {
  const key = literal(name);
  return `      case ${key}: {
        const item = value[${key}];
        if (item !== null && typeof item === 'object') return undefined;
        if (!(instance[${key}] instanceof Function)) instance[${key}] = item;
        break;
      }`;
}

/** A property's conditions in order (the first that says no skips its checks), then each check. */
function propertyChecks(property: PropertyPlan, pass: (value: unknown) => string, targetName: string, thenable: string): string {
  const key = literal(property.name);
  const conditions = property.conditions.map((condition) => `${pass(condition)}(instance, v)`);
  const checks = property.checks.map((check) => {
    const guard = check.validateIf === undefined ? '' : `if (${pass(check.validateIf)}(instance, v)) `;
    const args = `{ targetName: ${targetName}, property: ${key}, object: instance, value: v, constraints: ${pass(check.constraints)} }`;
    return `    ${guard}{
      const valid = ${pass(check.validate)}(v, ${args});
      if (!valid || ${thenable}(valid)) return undefined;
    }`;
  });
  return `  {
    const v = instance[${key}];
    if (${conditions.length === 0 ? 'true' : conditions.join(' && ')}) {
${checks.join('\n')}
    }
  }`;
}

// JSON's string syntax is JavaScript's: any name becomes a literal and nothing else.
function literal(name: string): string {
  return JSON.stringify(name);
}
