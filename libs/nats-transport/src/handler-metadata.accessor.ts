import type { MessageHandler } from '@nestjs/microservices';
import { EVENT_HANDLER_KIND, RPC_HANDLER_KIND } from './nats-transport.constants.js';
import type { EventMetadata, RpcMetadata } from './interfaces/handler-metadata.interface.js';

/** Reads what `@Rpc` recorded on a handler, or `undefined` for other handlers. */
export function getRpcMetadata(handler: MessageHandler): RpcMetadata | undefined {
  const extras = handler.extras as Partial<RpcMetadata> | undefined;
  return extras?.kind === RPC_HANDLER_KIND ? (extras as RpcMetadata) : undefined;
}

/** Reads what `@Event` recorded on a handler, or `undefined` for other handlers. */
export function getEventMetadata(handler: MessageHandler): EventMetadata | undefined {
  const extras = handler.extras as Partial<EventMetadata> | undefined;
  return extras?.kind === EVENT_HANDLER_KIND ? (extras as EventMetadata) : undefined;
}
