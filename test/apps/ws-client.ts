import { once } from 'node:events';
import { WebSocket } from 'ws';

/** A WebSocket client that keeps every frame it receives. */
export class WsClient {
  readonly frames: Array<Record<string, unknown>> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => this.frames.push(JSON.parse(String(raw)) as Record<string, unknown>));
  }

  static async open(url: string, token?: string): Promise<WsClient> {
    const socket = new WebSocket(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
    const client = new WsClient(socket);
    await once(socket, 'open');
    return client;
  }

  send(event: string, data: unknown): void {
    this.socket.send(JSON.stringify({ event, data }));
  }

  /** Subscribes to a topic of the shop's feed and waits for the confirmation. */
  async subscribe(topic: string): Promise<void> {
    this.send('subscribe', { topic });
    await this.frame((f) => f.event === 'subscribed' && (f.data as { topic?: string }).topic === topic);
  }

  async frame(match: (frame: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.frames.find(match);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no matching frame; got ${JSON.stringify(this.frames)}`);
  }
}
