import type { EntityTarget, ObjectLiteral } from 'typeorm';

/** Provider of the suspicious-field reporter shared by a service's repositories. */
export const SUSPICIOUS_FIELD_REPORTER = 'cliffracer:secure-repository:suspicious';

/** The injection token of the `SecureRepository` of `entity`. */
export function getSecureRepositoryToken(entity: EntityTarget<ObjectLiteral>): string {
  const name = typeof entity === 'function' ? entity.name : String((entity as { name?: string }).name ?? entity);
  return `cliffracer:secure-repository:${name}`;
}
