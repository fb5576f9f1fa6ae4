import { checkPayloadLimits, RefusalLog, type ResolvedPayloadLimits } from '@cliffracer/nats-transport';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';

/** What this adapter uses of a `ws` server and its sockets (typed here: `ws` is the adapter's dependency, not this package's). */
interface Emitter {
  on(event: string, listener: (arg: never) => void): unknown;
}

/** Bytes one WebSocket message may have, as fastify's default `bodyLimit` for an HTTP body. */
export const DEFAULT_WS_MAX_PAYLOAD = 1024 * 1024;

type WsData = string | Buffer | ArrayBuffer | Buffer[];

/**
 * Nest's `WsAdapter` with the limits of the other doors. `ws` takes messages of up to 100 MiB
 * by default and Nest parses each whole, from any client, authenticated or not: here a message
 * is at most `DEFAULT_WS_MAX_PAYLOAD` bytes unless a gateway sets `maxPayload`, and is held to
 * the payload limits before it is parsed; a message that breaks one is dropped, as Nest drops
 * one that is not JSON. A frame `ws` refuses (bad opcode, too large) closes its connection and
 * is logged once per interval and reason, not once per connection with its stack.
 */
export class BoundedWsAdapter extends WsAdapter {
  private readonly refusals = new RefusalLog(this.logger);

  constructor(app: INestApplicationContext, limits: ResolvedPayloadLimits) {
    super(app, {
      messageParser: (data: WsData) => {
        const bytes = typeof data === 'string' ? Buffer.from(data) : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        try {
          checkPayloadLimits(bytes, limits, 'WebSocket message');
          return JSON.parse(bytes.toString()) as { event: string; data: unknown };
        } catch {
          return undefined;
        }
      },
    });
  }

  override create(port: number, options: Record<string, unknown> & { namespace?: string; server?: unknown; path?: string } = {}): unknown {
    return super.create(port, { maxPayload: DEFAULT_WS_MAX_PAYLOAD, ...options });
  }

  override bindErrorHandler<T extends Emitter>(server: T): T {
    server.on('connection', (socket: Emitter) =>
      socket.on('error', (error: Error & { code?: string }) => this.refusals.warn(`WS ${error.code ?? error.name}`, `refused a WebSocket frame: ${error.message}`)),
    );
    server.on('error', (error: Error) => this.logger.error(error));
    return server;
  }
}
