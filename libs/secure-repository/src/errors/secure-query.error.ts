import { CliffracerError } from '@cliffracer/common';

/** Characters of a name a message repeats at most: a 100 KB field name is not echoed whole. */
export const MAX_ECHOED_NAME = 64;

/**
 * A query the secure repository refuses: an unknown field, an operator outside the closed
 * set, a value that is not plain data or does not fit its column, a sort, limit or offset out
 * of bounds. It names the field (or option) at fault, cut to `MAX_ECHOED_NAME` characters;
 * nothing reached the database.
 */
export class SecureQueryError extends CliffracerError {
  override readonly name = 'SecureQueryError';
  readonly entity: string;
  readonly field: string;

  constructor(entity: string, field: string, reason: string) {
    const [shortEntity, shortField] = [clipName(entity), clipName(field)];
    super(`refused query on ${shortEntity}: ${shortField} ${reason}`, { code: 'SECURE_QUERY_REJECTED', data: { entity: shortEntity, field: shortField, reason } });
    this.entity = shortEntity;
    this.field = shortField;
  }
}

/** Whether `error` is a `SecureQueryError`, also across realms and the wire (by name). */
export function isSecureQueryError(error: unknown): error is SecureQueryError {
  return error instanceof SecureQueryError || (error instanceof Error && error.name === 'SecureQueryError');
}

/** `name` cut to `MAX_ECHOED_NAME` characters with an ellipsis, never inside a surrogate pair. */
export function clipName(name: string): string {
  if (name.length <= MAX_ECHOED_NAME) return name;
  const end = /[\uD800-\uDBFF]/.test(name[MAX_ECHOED_NAME - 2]!) ? MAX_ECHOED_NAME - 2 : MAX_ECHOED_NAME - 1;
  return `${name.slice(0, end)}…`;
}
