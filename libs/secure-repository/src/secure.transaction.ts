import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { DatabaseConnection } from './database.connection.js';
import { SecureQueryError } from './errors/secure-query.error.js';
import { SecureRepository } from './secure.repository.js';
import type { SuspiciousFieldReporter } from './suspicious-field.reporter.js';

/** The entities a transaction may reach: the same whitelist, the same transaction. */
export class SecureTransaction {
  constructor(
    private readonly connection: DatabaseConnection,
    private readonly manager: EntityManager,
    private readonly onSuspicious: SuspiciousFieldReporter,
  ) {}

  repository<E extends ObjectLiteral>(target: EntityTarget<E>): SecureRepository<E> {
    if (!this.connection.has(target as EntityTarget<ObjectLiteral>)) {
      throw new SecureQueryError(String((target as { name?: string }).name ?? target), 'entity', 'is not registered with SecureRepositoryModule.forFeature');
    }
    return new SecureRepository(this.connection, target, this.onSuspicious, this.manager);
  }
}
