import { Inject } from '@nestjs/common';
import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { getSecureRepositoryToken } from '../secure-repository.constants.js';

/**
 * Injects the `SecureRepository` of an entity registered with `forFeature`.
 *
 * @example
 * constructor(@InjectSecureRepository(Order) private readonly orders: SecureRepository<Order>) {}
 */
export const InjectSecureRepository = (entity: EntityTarget<ObjectLiteral>) => Inject(getSecureRepositoryToken(entity));
