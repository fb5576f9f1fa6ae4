import { SetMetadata } from '@nestjs/common';
import { PERMISSIONS_KEY } from '../auth.constants.js';

/**
 * Requires every listed permission (handler and controller lists add up).
 *
 * @example
 * @Permissions('orders:write') @Rpc() create(@Payload() o: OrderDto) { ... }
 */
export const Permissions = (...permissions: string[]) => SetMetadata(PERMISSIONS_KEY, permissions);
