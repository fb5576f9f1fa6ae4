import { connect, type Socket } from 'node:net';
import { waitUntil } from './wait-until.js';

/**
 * A NATS client that writes protocol frames by hand over TCP, for tests that send what no
 * well-behaved client would: malformed header blocks, bodies over a limit, floods. Everything
 * it receives is kept as text, to look for the frames a test expects.
 *
 * @example
 * await using raw = await RawNatsSocket.open(nats.url);
 * raw.sub('_INBOX.x', 1);
 * raw.hpub('svc.get', '_INBOX.x', 'NATS/1.0\r\nBad Name: 1\r\n\r\n', '{}');
 * await raw.waitFor('HMSG _INBOX.x');
 */
export class RawNatsSocket {
  private received = '';

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
      // Answer the server's keep-alive, as any client must to stay connected.
      if (chunk.includes('PING\r\n')) socket.write('PONG\r\n');
    });
  }

  /** Connects to `url` (`nats://host:port`) and says CONNECT with headers on. */
  static async open(url: string): Promise<RawNatsSocket> {
    const { hostname, port } = new URL(url.replace(/^nats:/, 'http:'));
    const socket = connect(Number(port || 4222), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const raw = new RawNatsSocket(socket);
    await raw.waitFor('INFO ');
    raw.write(`CONNECT ${JSON.stringify({ verbose: false, pedantic: false, headers: true, no_responders: true, protocol: 1 })}\r\n`);
    await raw.ping();
    return raw;
  }

  /** Everything received so far, as text. */
  get text(): string {
    return this.received;
  }

  write(frame: string | Buffer): void {
    this.socket.write(frame);
  }

  sub(subject: string, sid: number): void {
    this.write(`SUB ${subject} ${sid}\r\n`);
  }

  /** Publishes `body` with the raw header block `headerBlock` (sent as written, bytes unchecked). */
  hpub(subject: string, reply: string | undefined, headerBlock: string, body: string | Buffer): void {
    const head = Buffer.from(headerBlock, 'latin1');
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    const total = head.length + data.length;
    this.write(Buffer.concat([Buffer.from(`HPUB ${subject} ${reply ?? ''} ${head.length} ${total}\r\n`.replace('  ', ' ')), head, data, Buffer.from('\r\n')]));
  }

  pub(subject: string, reply: string | undefined, body: string | Buffer): void {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    this.write(Buffer.concat([Buffer.from(`PUB ${subject} ${reply ?? ''} ${data.length}\r\n`.replace('  ', ' ')), data, Buffer.from('\r\n')]));
  }

  /** Round trip to the server: every frame written before has been processed once it returns. */
  async ping(timeoutMs = 2000): Promise<void> {
    const pongs = this.count('PONG\r\n');
    this.write('PING\r\n');
    await waitUntil(() => this.count('PONG\r\n') > pongs, timeoutMs, 2);
  }

  /** Waits until the received text contains `fragment` (at least `times` times). */
  async waitFor(fragment: string, timeoutMs = 2000, times = 1): Promise<void> {
    await waitUntil(() => this.count(fragment) >= times, timeoutMs, 2);
  }

  count(fragment: string): number {
    return this.received.split(fragment).length - 1;
  }

  close(): void {
    this.socket.destroy();
  }

  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}
