import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC_KEY } from '../auth.constants.js';

/**
 * Lets callers without a token reach a handler (or every handler of a controller).
 *
 * @example
 * @Public() @Rpc() login(@Payload() credentials: LoginDto) { ... }
 */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
