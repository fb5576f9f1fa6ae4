import { SdkTracer } from '@cliffracer/correlation';
import { checkPayloadLimits, RefusalLog, type ResolvedPayloadLimits } from '@cliffracer/nats-transport';
import type { INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { EMPTY, type Observable } from 'rxjs';
import { traceWsMessage, watchExceptionFrames, type WsEnvelope, WS_TRACER_NAME } from './ws-tracing.js';

/** What this adapter uses of a `ws` server and its sockets (typed here: `ws` is the adapter's dependency, not this package's). */
interface Emitter {
  on(event: string, listener: (arg: never) => void): unknown;
}

/** A `ws` socket, as far as this adapter writes to it. */
interface Sender {
  send(data: unknown, ...rest: unknown[]): unknown;
}

type BindArgs = Parameters<WsAdapter['bindMessageHandlers']>;

/** Bytes one WebSocket message may have, as fastify's default `bodyLimit` for an HTTP body. */
export const DEFAULT_WS_MAX_PAYLOAD = 1024 * 1024;

type WsData = string | Buffer | ArrayBuffer | Buffer[];

/** A message this adapter parsed already, handed to Nest's handling in place of its bytes. */
class ParsedMessage {
  constructor(readonly envelope: WsEnvelope & { event: string; data: unknown }) {}
}

/**
 * Nest's `WsAdapter` with the limits of the other doors. `ws` takes messages of up to 100 MiB
 * by default and Nest parses each whole, from any client, authenticated or not: here a message
 * is at most `DEFAULT_WS_MAX_PAYLOAD` bytes unless a gateway sets `maxPayload`, and is held to
 * the payload limits before it is parsed; a message that breaks one is dropped, as Nest drops
 * one that is not JSON. A frame `ws` refuses (bad opcode, too large) closes its connection and
 * is logged once per interval and reason, not once per connection with its stack.
 *
 * With an OpenTelemetry SDK registered, each message a handler takes runs in a SERVER span
 * `WS <event>` continuing the trace named by the `traceparent` (and `tracestate`) fields of
 * its envelope, beside `event` and `data` (`traceWsMessage`); without one, no span and no field read.
 */
export class BoundedWsAdapter extends WsAdapter {
  private readonly refusals = new RefusalLog(this.logger);
  private readonly tracer = new SdkTracer(WS_TRACER_NAME);
  private readonly parse: (data: WsData) => WsEnvelope | undefined;

  constructor(app: INestApplicationContext, limits: ResolvedPayloadLimits) {
    const parse = (data: WsData): WsEnvelope | undefined => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      try {
        checkPayloadLimits(bytes, limits, 'WebSocket message');
        const message: unknown = JSON.parse(bytes.toString());
        return message !== null && typeof message === 'object' && !Array.isArray(message) ? (message as WsEnvelope) : undefined;
      } catch {
        return undefined;
      }
    };
    super(app, {
      messageParser: (data: WsData | ParsedMessage) => (data instanceof ParsedMessage ? data.envelope : (parse(data) as { event: string; data: unknown } | undefined)),
    });
    this.parse = parse;
  }

  /**
   * Nest's handling of one message, inside its span when an SDK is registered. The message is
   * parsed here once, to read its event and trace fields, and handed to Nest parsed; one no
   * handler takes gets no span (its event names nothing the app serves).
   */
  override bindMessageHandler(buffer: { data: WsData }, handlersMap: Map<string, unknown>, transform: (data: unknown) => Observable<unknown>): Observable<unknown> {
    const tracer = this.tracer.current();
    if (tracer === undefined) return super.bindMessageHandler(buffer, handlersMap as Map<string, never>, transform);
    const envelope = this.parse(buffer.data);
    const event = envelope?.event;
    if (envelope === undefined || typeof event !== 'string' || !handlersMap.has(event)) return EMPTY;
    const parsed = { data: new ParsedMessage(envelope as WsEnvelope & { event: string; data: unknown }) };
    return traceWsMessage(tracer, envelope, event, () => super.bindMessageHandler(parsed, handlersMap as Map<string, never>, transform));
  }

  // Each client's exception frames mark the span of the message that failed.
  override bindMessageHandlers(client: Sender, handlers: BindArgs[1], transform: BindArgs[2]): void {
    watchExceptionFrames(client);
    super.bindMessageHandlers(client, handlers, transform);
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
