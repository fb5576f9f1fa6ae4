import { CliffracerError } from '@cliffracer/common';
import { connect, type Socket } from 'node:net';

/** A raw TCP client, as `nc` would be: what the service wrote, and lines to send. */
export class TcpSession {
  output = '';
  closed = false;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.output += chunk.toString('utf8');
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => undefined);
  }

  /** `allowHalfOpen` keeps this side open after the service ends its side, as a client that never closes would. */
  static async open(port: number, host = '127.0.0.1', { allowHalfOpen = false } = {}): Promise<TcpSession> {
    const socket = connect({ port, host, allowHalfOpen });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new TcpSession(socket);
  }

  /** Resolves once the output (from `from` on) contains `text`. */
  async until(text: string | RegExp, from = 0, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    const found = () => (typeof text === 'string' ? this.output.indexOf(text, from) >= 0 : text.test(this.output.slice(from)));
    while (!found()) {
      if (Date.now() > deadline) throw new CliffracerError(`no ${String(text)} in backdoor output: ${JSON.stringify(this.output.slice(from))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.output.slice(from);
  }

  /** Sends a line and resolves the output up to the next prompt. */
  async run(line: string): Promise<string> {
    const from = this.output.length;
    this.socket.write(`${line}\n`);
    const text = await this.until('>>> ', from);
    return text.slice(0, text.lastIndexOf('>>> '));
  }

  write(data: string): void {
    this.socket.write(data);
  }

  async waitClosed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new CliffracerError('backdoor session still open');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  end(): void {
    this.socket.destroy();
  }
}
