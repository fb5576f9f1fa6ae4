import { SetMetadata } from '@nestjs/common';
import { ROLES_KEY } from '../auth.constants.js';

/**
 * Requires every listed role (handler and controller lists add up).
 *
 * @example
 * @Roles('admin') @Rpc() refund(@Payload() r: RefundDto) { ... }
 */
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);
