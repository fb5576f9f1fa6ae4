import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TokenService } from '@cliffracer/auth';
import { CORRELATION_ID_ATTRIBUTE } from '@cliffracer/correlation';
import { NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix } from '@cliffracer/testing';
import { type CanActivate, Controller, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Payload } from '@nestjs/microservices';
import { MessageBody, SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app.js';
import { startShopApp } from '@cliffracer-sample/shop-common';
import { POSTGRES_URL } from '../apps/shop-fixture.js';
import { WsClient } from '../apps/ws-client.js';
import { openWsDoor } from './ws-door.js';
import { idOf, only, parentOf, startTraceRecording, type TraceRecording, traceOf } from './trace-recording.js';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';
const CALLER_PARENT = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;
const AUTH = { secret: 'ws-trace-secret-of-at-least-32-characters', issuer: 'shop', audience: 'shop' };

@Controller()
class StockController {
  @Rpc()
  level(@Payload() query: { sku: string }) {
    return { sku: query.sku, level: 3 };
  }
}

class Closed implements CanActivate {
  canActivate() {
    return false;
  }
}

@WebSocketGateway({ path: '/ws' })
class StockGateway {
  constructor(private readonly client: NatsClient) {}

  @SubscribeMessage('level')
  async level(@MessageBody() data: { sku?: unknown }) {
    return { event: 'level', data: await this.client.call('trwsstock', 'level', { sku: String(data?.sku) }) };
  }

  @SubscribeMessage('reserve')
  async reserve() {
    await this.client.call('trwsstock', 'level', { sku: 'R-1' });
    throw new WsException('out of stock');
  }

  @SubscribeMessage('crash')
  crash() {
    throw new Error('the secret inside');
  }

  @UseGuards(Closed)
  @SubscribeMessage('closed')
  closed() {
    return { event: 'closed', data: 'never' };
  }
}

/** Sends `message` as it is (the envelope with whatever trace fields it has) and waits for the reply for `sku`. */
async function ask(client: WsClient, message: Record<string, unknown>, sku: string): Promise<Record<string, unknown>> {
  client.socket.send(JSON.stringify({ event: 'level', data: { sku }, ...message }));
  return client.frame((f) => f.event === 'level' && (f.data as { sku?: string }).sku === sku);
}

describe('OpenTelemetry tracing of WebSocket messages', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let recording: TraceRecording;
  let stock: TestApp;
  let door: NestFastifyApplication;
  let client: WsClient;

  beforeAll(async () => {
    recording = startTraceRecording();
    nats = await ensureNats();
    prefix = uniquePrefix();
    stock = await createTestApp({ nats: { service: 'trwsstock', servers: nats.url, subjectPrefix: prefix }, controllers: [StockController], logger: false });
    ({ door, client } = await openWsDoor({ service: 'trwsgate', servers: nats.url, subjectPrefix: prefix }, StockGateway));
  });

  afterAll(async () => {
    client?.socket.terminate();
    await door?.close();
    await stock?.close();
    await nats?.release();
    await recording?.stop();
  });

  it('continues the trace of the message’s traceparent, with the NATS call under it, and replies with it', async () => {
    const reply = await ask(client, { traceparent: CALLER_PARENT, tracestate: 'vendor=abc' }, 'W-1');
    expect(reply.data).toEqual({ sku: 'W-1', level: 3 });

    const spans = await recording.waitFor((all) => all.filter((span) => traceOf(span) === CALLER_TRACE).length === 3);
    const message = only(spans, 'WS level', (span) => traceOf(span) === CALLER_TRACE);
    const call = only(spans, `send ${prefix}.trwsstock.level`, (span) => traceOf(span) === CALLER_TRACE);
    const handled = only(spans, `process ${prefix}.trwsstock.level`, (span) => traceOf(span) === CALLER_TRACE);
    expect(message.kind).toBe(SpanKind.SERVER);
    expect(parentOf(message)).toBe(CALLER_SPAN);
    expect(message.spanContext().traceState?.get('vendor')).toBe('abc');
    expect(parentOf(call)).toBe(idOf(message));
    expect(parentOf(handled)).toBe(idOf(call));
    expect(message.attributes).toMatchObject({ 'network.protocol.name': 'websocket', 'cliffracer.ws.event': 'level' });
    // The message's span and the calls it makes name one correlation ID.
    expect(message.attributes[CORRELATION_ID_ATTRIBUTE]).toEqual(handled.attributes[CORRELATION_ID_ATTRIBUTE]);
    expect(reply.traceparent).toBe(`00-${CALLER_TRACE}-${idOf(message)}-01`);
    expect(reply.tracestate).toBe('vendor=abc');
  });

  it('starts a new trace for a message without traceparent', async () => {
    const reply = await ask(client, {}, 'W-2');
    const spans = await recording.waitFor((all) => all.some((span) => span.name === 'WS level' && reply.traceparent === `00-${traceOf(span)}-${idOf(span)}-01`));
    const message = only(spans, 'WS level', (span) => reply.traceparent === `00-${traceOf(span)}-${idOf(span)}-01`);
    expect(parentOf(message)).toBeUndefined();
    expect(traceOf(message)).not.toBe(CALLER_TRACE);
    const call = only(spans, `send ${prefix}.trwsstock.level`, (span) => traceOf(span) === traceOf(message));
    expect(parentOf(call)).toBe(idOf(message));
  });

  it('marks the span of a message failed when a handler or guard fails, with what the client was told', async () => {
    const cases = [
      ['reserve', 'out of stock'],
      ['crash', 'Internal server error'],
      ['closed', 'Forbidden resource'],
    ] as const;
    for (const [i, [event, told]] of cases.entries()) {
      const traceId = `${i + 1}`.padStart(32, 'e');
      client.socket.send(JSON.stringify({ event, data: {}, traceparent: `00-${traceId}-${CALLER_SPAN}-01` }));
      await client.frame((f) => f.event === 'exception' && (f.data as { message?: string }).message === told);
      const spans = await recording.waitFor((all) => all.some((span) => span.name === `WS ${event}` && traceOf(span) === traceId));
      const failed = only(spans, `WS ${event}`, (span) => traceOf(span) === traceId);
      expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: `WsException: ${told}` });
      expect(failed.attributes['error.type']).toBe('WsException');
    }
    // The NATS call made before the failure succeeded, under the failed message.
    const reserved = only(recording.spans(), `send ${prefix}.trwsstock.level`, (span) => traceOf(span) === '1'.padStart(32, 'e'));
    expect(reserved.status.code).toBe(SpanStatusCode.UNSET);
    // A message that succeeds leaves its status unset.
    const reply = await ask(client, {}, 'W-ok');
    const spans = await recording.waitFor((all) => all.some((span) => span.name === 'WS level' && reply.traceparent === `00-${traceOf(span)}-${idOf(span)}-01`));
    expect(only(spans, 'WS level', (span) => reply.traceparent === `00-${traceOf(span)}-${idOf(span)}-01`).status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ignores malformed, wrong-typed and oversized trace fields, and the connection keeps answering', async () => {
    const hostile: Array<Record<string, unknown>> = [
      { traceparent: 'not-a-traceparent' },
      { traceparent: `00-${'0'.repeat(32)}-${CALLER_SPAN}-01` },
      { traceparent: `${CALLER_PARENT}${'-x'.repeat(5000)}` },
      { traceparent: 42 },
      { traceparent: [CALLER_PARENT, CALLER_PARENT] },
      { traceparent: { toString: CALLER_PARENT } },
      { traceparent: null, tracestate: ['a=1'] },
    ];
    for (const [i, fields] of hostile.entries()) {
      const reply = await ask(client, fields, `H-${i}`);
      expect(reply.data).toEqual({ sku: `H-${i}`, level: 3 });
      expect(String(reply.traceparent)).not.toContain(CALLER_TRACE);
    }
    // Beside an oversized tracestate, the traceparent still counts; only the tracestate is dropped.
    const kept = await ask(client, { traceparent: CALLER_PARENT, tracestate: `a=${'b'.repeat(8000)}` }, 'H-state');
    expect(String(kept.traceparent)).toContain(CALLER_TRACE);
    expect(kept.tracestate).toBeUndefined();
    // A message no handler takes makes no span, and a frame that is not JSON is dropped.
    client.socket.send(JSON.stringify({ event: 'nothing-here', data: {}, traceparent: CALLER_PARENT }));
    client.socket.send('{ not json');
    const after = await ask(client, { traceparent: CALLER_PARENT }, 'H-after');
    expect(after.data).toEqual({ sku: 'H-after', level: 3 });
    expect(recording.spans().some((span) => span.name.includes('nothing-here'))).toBe(false);
  });
});

describe('OpenTelemetry tracing of the gateway’s WebSocket feed', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let recording: TraceRecording;
  let gateway: NestFastifyApplication;
  let publisher: TestApp;
  const schema = `trws_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    recording = startTraceRecording();
    nats = await ensureNats();
    prefix = uniquePrefix();
    const config = {
      nats: { service: 'gateway', servers: nats.url, subjectPrefix: prefix },
      database: { url: POSTGRES_URL, schema },
      auth: AUTH,
      backdoor: { enabled: false },
      debug: { service: 'gateway', enabled: false },
      instance: 'gateway',
      http: { port: 0, host: '127.0.0.1' },
    };
    gateway = await createGatewayApp(config, { logger: false });
    await startShopApp(gateway, config);
    publisher = await createTestApp({ nats: { service: 'trwsinventory', servers: nats.url, subjectPrefix: prefix }, logger: false });
  }, 30_000);

  afterAll(async () => {
    await publisher?.close();
    await gateway?.close();
    const db = new pg.Client({ connectionString: POSTGRES_URL });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => db.end());
    await nats?.release();
    await recording?.stop();
  });

  it('pushes each event in a span of the event’s trace, whose traceparent the frame carries', async () => {
    const token = await gateway.get(TokenService).issue({ sub: 'ann', roles: ['customer'], permissions: ['events:read'] });
    const client = await WsClient.open(`${(await gateway.getUrl()).replace('http', 'ws')}/ws`, token);
    try {
      await client.subscribe('reservations');
      const traceId = await recording.inSpan('publish reservation', async () => {
        await publisher.client.emit('inventory.events.reserved', { sku: 'KB-101', quantity: 2 });
      });
      const frame = await client.frame((f) => f.event === 'reservations');
      expect(frame.data).toEqual({ sku: 'KB-101', quantity: 2 });

      const spans = await recording.waitFor((all) => all.some((span) => span.name === `process ${prefix}.inventory.events.reserved` && traceOf(span) === traceId));
      const sent = only(spans, `send ${prefix}.inventory.events.reserved`, (span) => traceOf(span) === traceId);
      const pushed = only(spans, `process ${prefix}.inventory.events.reserved`, (span) => traceOf(span) === traceId);
      expect(pushed.kind).toBe(SpanKind.CONSUMER);
      expect(parentOf(pushed)).toBe(idOf(sent));
      expect(pushed.attributes[CORRELATION_ID_ATTRIBUTE]).toBe(frame.correlationId);
      expect(frame.traceparent).toBe(`00-${traceId}-${idOf(pushed)}-01`);
    } finally {
      client.socket.terminate();
    }
  });
});
