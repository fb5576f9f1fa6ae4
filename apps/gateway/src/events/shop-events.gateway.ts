import { AUTH_USER, AuthFailures, type AuthUser, bearerOf, Permissions, Roles, TokenService, UnauthorizedError, WS_TOKEN } from '@cliffracer/auth';
import { CORRELATION_ID_HEADER } from '@cliffracer/correlation';
import { NatsClient, RefusalLog, SubscriptionTracer, type TraceFields } from '@cliffracer/nats-transport';
import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConnectedSocket, MessageBody, type OnGatewayConnection, type OnGatewayDisconnect, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Msg, Subscription } from '@nats-io/transport-node';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';

/** A topic a client may subscribe to: the NATS subject it forwards, and who gets each event. */
interface Topic {
  subject: string;
  /** `all`: every subscriber; `owner`: only the customer the event's `customer` field names. */
  audience: 'all' | 'owner';
}

/** Topics of the WebSocket feed. */
export const SHOP_TOPICS: Record<string, Topic> = {
  reservations: { subject: 'inventory.events.reserved', audience: 'all' },
  notifications: { subject: 'notifications.events.sent', audience: 'owner' },
};

/** A client closed for lack of a valid token (4000 + the HTTP status, by custom). */
const UNAUTHORIZED_CLOSE = 4401;

type ShopSocket = WebSocket & { [AUTH_USER]?: AuthUser };

/**
 * The shop's WebSocket door at `/ws`: a connection must bring a valid token (`Authorization:
 * Bearer` header or `?token=`), or is closed with 4401. A client sends
 * `{ "event": "subscribe", "data": { "topic": "notifications" } }` (customers with
 * `events:read`) and then receives `{ event: <topic>, data, correlationId }` for every NATS
 * event of that topic: all of them for `reservations`, its own for `notifications`, until its
 * token expires: the next event then closes it with 4401. With an OpenTelemetry SDK, each event
 * is pushed in a CONSUMER span continuing its trace, and its frames carry that span's
 * `traceparent` (and `tracestate`), so a client can join the trace.
 */
@WebSocketGateway({ path: '/ws' })
export class ShopEventsGateway implements OnApplicationBootstrap, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('ShopEvents');
  // Whoever may publish on a topic's subject chooses what arrives: dropped events are logged once per burst.
  private readonly dropped = new RefusalLog(this.logger);
  private readonly subscribers = new Map<string, Set<ShopSocket>>(Object.keys(SHOP_TOPICS).map((topic) => [topic, new Set()]));
  private readonly subscriptions: Subscription[] = [];
  private readonly feedTracer = new SubscriptionTracer();

  constructor(
    private readonly tokens: TokenService,
    private readonly client: NatsClient,
    private readonly failures: AuthFailures,
  ) {}

  // Nest awaits this hook before the app listens, so no event is missed by an early client.
  async onApplicationBootstrap(): Promise<void> {
    const nc = await this.client.connect();
    for (const [topic, { subject }] of Object.entries(SHOP_TOPICS)) {
      // Nothing may throw out of a subscription callback: it would close the reader of the
      // client's connection, and every call of the gateway would time out from then on.
      const callback = (error: Error | null, msg: Msg) => {
        if (error !== null) return;
        let correlationId: string | undefined;
        try {
          // nats.js decodes headers on first read and throws on a malformed block.
          correlationId = msg.headers?.get(CORRELATION_ID_HEADER);
        } catch {
          this.dropped.warn(`headers ${topic}`, `dropped a ${topic} event whose headers cannot be decoded`);
          return;
        }
        this.feedTracer.run(msg, (trace) => this.broadcast(topic, msg.string(), correlationId, trace));
      };
      this.subscriptions.push(nc.subscribe(`${this.client.options.subjectPrefix}${subject}`, { callback }));
    }
    await nc.flush();
  }

  // Two Authorization headers close the connection (`bearerOf`): none of them wins. The reason
  // goes to the log; the client learns only "unauthorized".
  async handleConnection(client: ShopSocket, request: IncomingMessage): Promise<void> {
    try {
      const token = bearerOf(request) ?? new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
      const user = await this.tokens.verify(token);
      Object.assign(client, { [WS_TOKEN]: token, [AUTH_USER]: user });
    } catch (error) {
      this.failures.record((error instanceof UnauthorizedError ? error.reason : undefined) ?? 'malformed token', 'ws', 'ShopEventsGateway.connect');
      client.close(UNAUTHORIZED_CLOSE, 'unauthorized');
    }
  }

  handleDisconnect(client: ShopSocket): void {
    for (const clients of this.subscribers.values()) clients.delete(client);
  }

  @Roles('customer')
  @Permissions('events:read')
  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() client: ShopSocket, @MessageBody() data: { topic?: unknown }) {
    const topic = typeof data?.topic === 'string' ? data.topic : '';
    const clients = this.subscribers.get(topic);
    if (clients === undefined) return { event: 'error', data: { code: 'UNKNOWN_TOPIC', message: `no topic ${JSON.stringify(topic)}; topics: ${Object.keys(SHOP_TOPICS).join(', ')}` } };
    clients.add(client);
    return { event: 'subscribed', data: { topic } };
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    this.dropped.flush();
  }

  private expired(client: ShopSocket): boolean {
    const exp = client[AUTH_USER]?.claims.exp;
    return typeof exp !== 'number' || exp * 1000 <= Date.now();
  }

  private broadcast(topic: string, body: string, correlationId: string | undefined, trace: TraceFields): void {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      this.dropped.warn(`json ${topic}`, `dropped a ${topic} event that is not JSON`);
      return;
    }
    // An owner topic's event goes only to the sockets of the customer it names.
    const ownerOnly = SHOP_TOPICS[topic]!.audience === 'owner';
    const owner = ownerOnly ? (data as { customer?: unknown } | null)?.customer : undefined;
    const frame = JSON.stringify({ event: topic, data, correlationId: correlationId ?? null, ...trace });
    for (const client of this.subscribers.get(topic) ?? []) {
      if (client.readyState !== client.OPEN) continue;
      // The token was checked when the socket opened; a feed outliving it would outlive its expiry.
      if (this.expired(client)) {
        this.failures.record('token expired', 'ws', 'ShopEventsGateway.broadcast');
        this.handleDisconnect(client);
        client.close(UNAUTHORIZED_CLOSE, 'unauthorized');
        continue;
      }
      if (ownerOnly && client[AUTH_USER]?.sub !== owner) continue;
      client.send(frame);
    }
  }
}
