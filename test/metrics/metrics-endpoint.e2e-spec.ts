import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { METRICS_ENDPOINT_LIMITS, MetricsEndpoint, MetricsModule } from '@cliffracer/metrics';
import { Rpc } from '@cliffracer/nats-transport';
import { waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { startServiceWithRaw, type ServiceWithRaw } from '../support/service-with-raw.js';
import { scrape } from './scrape.js';

@Controller()
class EchoController {
  @Rpc()
  echo(@Payload() body: unknown) {
    return body;
  }
}

/** Writes `request` on a fresh connection and resolves all the server sent until it closed. */
async function exchange(port: number, request: string | Buffer): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  socket.write(request);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

/** The /metrics listener of a NATS-only service under requests no scraper sends. */
describe('MetricsEndpoint', () => {
  let fixture: ServiceWithRaw;
  let url: string;
  let port: number;
  const echoes = (n: number) => expect(fixture.service.client.call('sentinel', 'echo', { n }, { timeoutMs: 5000 })).resolves.toEqual({ n });

  beforeAll(async () => {
    fixture = await startServiceWithRaw({
      nats: { service: 'sentinel' },
      imports: [MetricsModule.forRoot({ service: 'sentinel', port: 0 })],
      controllers: [EchoController],
      logger: false,
    });
    url = fixture.service.app.get(MetricsEndpoint).url!;
    port = Number(new URL(url).port);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('answers GET /metrics in Prometheus text, a query string ignored', async () => {
    const response = await fetch(`${url}?debug=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('# TYPE cliffracer_calls_total counter');
  });

  it('answers HEAD /metrics without a body', async () => {
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each(['/', '/metrics/', '/metricsx', '/health', '/metrics/../metrics%00', '/%2e%2e/etc/passwd'])('answers %s with 404 and nothing else', async (path) => {
    const raw = await exchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(raw).toMatch(/\r\nConnection: close\r\n/i);
    expect(raw.endsWith('\r\n\r\nnot found\n')).toBe(true);
  });

  it('refuses other methods with 405 and closes without reading the body it was promised', async () => {
    const raw = await exchange(port, 'POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 104857600\r\n\r\n{"partial":');
    expect(raw).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(raw).toMatch(/\r\nAllow: GET, HEAD\r\n/);
  });

  it('answers junk with 400 and closes the connection', async () => {
    const raw = await exchange(port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]));
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await echoes(1);
  });

  it('answers headers over the limit with 431', async () => {
    const big = 'x'.repeat(METRICS_ENDPOINT_LIMITS.maxHeaderBytes * 4);
    const raw = await exchange(port, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${big}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    await echoes(2);
  });

  it('holds many idle connections to its cap, keeps serving the service, and scrapes again once they go', async () => {
    const sockets: Socket[] = [];
    let closedByServer = 0;
    for (let i = 0; i < 100; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('close', () => closedByServer++);
      sockets.push(socket);
    }
    try {
      await waitUntil(() => closedByServer >= 100 - METRICS_ENDPOINT_LIMITS.maxConnections, 10_000, 20);
      await echoes(3);
      // Connections that never send a request are closed once they were silent too long.
      await waitUntil(() => closedByServer === 100, METRICS_ENDPOINT_LIMITS.idleTimeoutMs * 4, 100);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    expect((await scrape(url)).length).toBeGreaterThan(0);
  });
});
