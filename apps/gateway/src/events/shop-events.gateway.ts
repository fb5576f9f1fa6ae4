import { AUTH_USER, bearer, Permissions, Roles, TokenService, WS_TOKEN } from '@cliffracer/auth';
import { CORRELATION_ID_HEADER } from '@cliffracer/correlation';
import { NatsClient, type NatsTransportModuleOptions, normalizeNatsTransportOptions } from '@cliffracer/nats-transport';
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit, SubscribeMessage, WebSocketGateway, MessageBody, ConnectedSocket } from '@nestjs/websockets';
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';

/** Topics a client may subscribe to, and the NATS subject each one forwards. */
export const SHOP_TOPICS: Record<string, string> = {
  reservations: 'inventory.events.reserved',
};

/** A client closed for lack of a valid token (4000 + the HTTP status, by custom). */
const UNAUTHORIZED_CLOSE = 4401;

export const GATEWAY_NATS_OPTIONS = 'gateway:nats-options';

/**
 * The shop's WebSocket door at `/ws`: a connection must bring a valid token (`Authorization:
 * Bearer` header or `?token=`), or is closed with 4401. A client sends
 * `{ "event": "subscribe", "data": { "topic": "reservations" } }` (customers with `events:read`) and then
 * receives `{ event: <topic>, data, correlationId }` for every NATS event of that topic.
 */
@WebSocketGateway({ path: '/ws' })
export class ShopEventsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('ShopEvents');
  private readonly subscribers = new Map<string, Set<WebSocket>>();
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly tokens: TokenService,
    private readonly client: NatsClient,
    @Inject(GATEWAY_NATS_OPTIONS) private readonly nats: NatsTransportModuleOptions,
  ) {}

  async afterInit(): Promise<void> {
    const nc = (await this.client.connect()) as NatsConnection;
    const { subjectPrefix } = normalizeNatsTransportOptions(this.nats);
    for (const [topic, subject] of Object.entries(SHOP_TOPICS)) {
      this.subscribers.set(topic, new Set());
      const callback = (error: Error | null, msg: Msg) => {
        if (error === null) this.broadcast(topic, msg.string(), msg.headers?.get(CORRELATION_ID_HEADER));
      };
      this.subscriptions.push(nc.subscribe(`${subjectPrefix}${subject}`, { callback }));
    }
  }

  async handleConnection(client: WebSocket, request: IncomingMessage): Promise<void> {
    const token = bearer(request.headers.authorization) ?? new URL(request.url ?? '/', 'http://localhost').searchParams.get('token') ?? undefined;
    try {
      const user = await this.tokens.verify(token);
      Object.assign(client, { [WS_TOKEN]: token, [AUTH_USER]: user });
    } catch {
      client.close(UNAUTHORIZED_CLOSE, 'unauthorized');
    }
  }

  handleDisconnect(client: WebSocket): void {
    for (const clients of this.subscribers.values()) clients.delete(client);
  }

  @Roles('customer')
  @Permissions('events:read')
  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() client: WebSocket, @MessageBody() data: { topic?: unknown }) {
    const topic = typeof data?.topic === 'string' ? data.topic : '';
    const clients = this.subscribers.get(topic);
    if (clients === undefined) return { event: 'error', data: { code: 'UNKNOWN_TOPIC', message: `no topic ${JSON.stringify(topic)}; topics: ${Object.keys(SHOP_TOPICS).join(', ')}` } };
    clients.add(client);
    return { event: 'subscribed', data: { topic } };
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private broadcast(topic: string, body: string, correlationId: string | undefined): void {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch {
      this.logger.warn(`dropped a ${topic} event that is not JSON`);
      return;
    }
    const frame = JSON.stringify({ event: topic, data, correlationId: correlationId ?? null });
    for (const client of this.subscribers.get(topic) ?? []) if (client.readyState === client.OPEN) client.send(frame);
  }
}
