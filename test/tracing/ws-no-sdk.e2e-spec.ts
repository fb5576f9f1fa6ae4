import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { context, propagation, trace } from '@opentelemetry/api';
import type { WsClient } from '../apps/ws-client.js';
import { openWsDoor } from './ws-door.js';

@WebSocketGateway({ path: '/ws' })
class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return { event: 'echo', data };
  }
}

describe('WebSocket messages without an OpenTelemetry SDK', () => {
  let nats: NatsEndpoint;
  let door: NestFastifyApplication;
  let client: WsClient;
  const spies = [jest.spyOn(propagation, 'extract'), jest.spyOn(propagation, 'inject'), jest.spyOn(context, 'with'), jest.spyOn(trace, 'setSpan')];

  beforeAll(async () => {
    nats = await ensureNats();
    ({ door, client } = await openWsDoor({ service: 'wsplain', servers: nats.url, subjectPrefix: uniquePrefix() }, EchoGateway));
  });

  afterAll(async () => {
    client?.socket.terminate();
    await door?.close();
    await nats?.release();
    jest.restoreAllMocks();
  });

  it('handles a message with trace fields as any other: no span, no field read, none written', async () => {
    for (const spy of spies) spy.mockClear();
    client.socket.send(JSON.stringify({ event: 'echo', data: { n: 1 }, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }));
    const reply = await client.frame((f) => f.event === 'echo');
    expect(reply).toEqual({ event: 'echo', data: { n: 1 } });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
