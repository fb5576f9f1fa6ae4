import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHttpService, HttpFrontDoorModule } from '@cliffracer/http';
import { NatsTransportModule } from '@cliffracer/nats-transport';
import { ensureNats, type NatsEndpoint, uniquePrefix } from '@cliffracer/testing';
import { type DynamicModule, type LoggerService, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { once } from 'node:events';
import { connect } from 'node:net';
import { WebSocket } from 'ws';

@WebSocketGateway({ path: '/ws' })
class EchoGateway {
  received = 0;

  @SubscribeMessage('echo')
  echo(@MessageBody() data: { n?: unknown }) {
    this.received++;
    return { event: 'echo', data: data?.n ?? null };
  }
}

@Module({})
class FramesModule {
  static forRoot(nats: { servers: string; subjectPrefix: string }): DynamicModule {
    return {
      module: FramesModule,
      imports: [NatsTransportModule.forRoot({ service: 'frames', ...nats }), HttpFrontDoorModule.forRoot({ service: 'frames' })],
      providers: [EchoGateway],
    };
  }
}

/** Opens a WebSocket by hand and sends one frame `ws` refuses (reserved opcode 3); resolves once the server closes it. */
async function sendBadFrame(port: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write('GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
  await once(socket, 'data');
  socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
  await once(socket, 'close');
}

/** Sends `frame` and resolves the first reply, or the close code when the server closes instead. */
async function exchange(url: string, frame: string): Promise<string | number> {
  const ws = new WebSocket(url);
  await once(ws, 'open');
  const answer = new Promise<string | number>((resolve) => {
    ws.once('message', (data) => resolve(String(data)));
    ws.once('close', (code) => resolve(code));
  });
  ws.send(frame);
  const result = await Promise.race([answer, new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 300))]);
  ws.terminate();
  return result;
}

describe('WebSocket frames', () => {
  const errors: string[] = [];
  const warnings: string[] = [];
  const logger: LoggerService = {
    log: () => undefined,
    error: (message) => errors.push(String(message)),
    warn: (message) => warnings.push(String(message)),
  };
  let nats: NatsEndpoint;
  let app: NestFastifyApplication;
  let port: number;
  let url: string;

  beforeAll(async () => {
    nats = await ensureNats();
    const transport = { servers: nats.url, subjectPrefix: uniquePrefix() };
    app = await createHttpService(FramesModule.forRoot(transport), { service: 'frames', ...transport }, { logger, websockets: true });
    await app.startAllMicroservices();
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(await app.getUrl()).port);
    url = `ws://127.0.0.1:${port}/ws`;
  });

  afterAll(async () => {
    await app?.close();
    await nats?.release();
  });

  it('logs 20 connections sending a malformed frame in one line, not one error each', async () => {
    for (let i = 0; i < 20; i++) await sendBadFrame(port);
    expect(errors).toEqual([]);
    expect(warnings.filter((w) => w.includes('invalid opcode 3'))).toHaveLength(1);
  });

  it('closes a connection whose message is over 1 MiB with 1009 before parsing it', async () => {
    const received = app.get(EchoGateway).received;
    await expect(exchange(url, JSON.stringify({ event: 'echo', data: { n: 'a'.repeat(2 * 1024 * 1024) } }))).resolves.toBe(1009);
    expect(app.get(EchoGateway).received).toBe(received);
  });

  it('drops a message that breaks a payload limit, unparsed, and answers the next one', async () => {
    const received = app.get(EchoGateway).received;
    await expect(exchange(url, `{"event":"echo","data":{"n":${'['.repeat(1000)}${']'.repeat(1000)}}}`)).resolves.toBe('no answer');
    expect(app.get(EchoGateway).received).toBe(received);
    await expect(exchange(url, '{"event":"echo","data":{"n":7}}')).resolves.toBe('{"event":"echo","data":7}');
  });
});
