import { RefusalLog } from '@cliffracer/nats-transport';
import { Logger } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_ENDPOINT_LIMITS as LIMITS } from './metrics-endpoint.limits.js';
import { MESSAGES } from './metrics.messages.js';
import type { ServiceMetrics } from './service.metrics.js';

/**
 * `GET /metrics` on a port of its own, for a service without an HTTP door: a bare node:http
 * server that reads no body and answers every other path 404, within `METRICS_ENDPOINT_LIMITS`.
 * Bound to 127.0.0.1 unless told otherwise: the metrics are for a scraper on a private network.
 */
export class MetricsEndpoint {
  private readonly logger = new Logger('Metrics');
  private readonly failures = new RefusalLog(this.logger);
  private server?: Server;

  constructor(
    private readonly metrics: ServiceMetrics,
    private readonly port: number,
    private readonly host: string,
  ) {}

  /** Where it listens, once `listen()` resolved. */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return undefined;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/metrics`;
  }

  async listen(): Promise<void> {
    const server = createServer(
      {
        maxHeaderSize: LIMITS.maxHeaderBytes,
        headersTimeout: LIMITS.headersTimeoutMs,
        requestTimeout: LIMITS.requestTimeoutMs,
        keepAliveTimeout: LIMITS.keepAliveTimeoutMs,
        connectionsCheckingInterval: LIMITS.timeoutCheckIntervalMs,
      },
      (request, response) => this.answer(request, response),
    );
    server.maxConnections = LIMITS.maxConnections;
    // Without a 'timeout' listener, node:http destroys a socket silent this long.
    server.timeout = LIMITS.idleTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(MESSAGES.listening(this.url!));
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A scraper's kept-alive connection must not hold the shutdown.
    server.closeAllConnections();
    await closed;
    this.failures.flush();
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== '/metrics') return this.refuse(response, 404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return this.refuse(response, 405, 'method not allowed');
    }
    this.metrics.text().then(
      (text) => {
        response.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        // A failing collector (an app's own metric) is logged once per interval, not per scrape.
        this.failures.warn('collect', MESSAGES.collectFailed((error as Error)?.message ?? String(error)));
        this.refuse(response, 500, 'metrics unavailable');
      },
    );
  }

  // The connection closes after a refusal: a body the client may still send is never read.
  private refuse(response: ServerResponse, status: number, text: string): void {
    const body = `${text}\n`;
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    response.end(body);
  }
}
