import { DebugCategory, type DebugLogger } from '@cliffracer/debug-logger';
import { Logger } from '@nestjs/common';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { AuthFailureLimiter } from './auth-failure.limiter.js';
import { lockedOutMessage, tooManySessionsMessage } from './backdoor.messages.js';
import { BackdoorSession, type SessionEvent } from './backdoor.session.js';
import type { NormalizedBackdoorOptions } from './interfaces/backdoor-options.interface.js';

/** What the server needs to open sessions. */
export interface BackdoorServerDeps {
  serviceName: string;
  banner: () => string;
  context: (close: () => void) => Record<string, unknown>;
  debug?: DebugLogger;
}

/**
 * The TCP side of the backdoor: loopback only, a bounded number of sessions, each logged
 * (Nest log and the `backdoor` debug category) from connection to close, command by command.
 */
export class BackdoorServer {
  private readonly logger = new Logger('Backdoor');
  private readonly sessions = new Set<BackdoorSession>();
  private readonly limiter: AuthFailureLimiter;
  private server?: Server;
  private nextId = 1;

  constructor(
    private readonly options: NormalizedBackdoorOptions & { token: string },
    private readonly deps: BackdoorServerDeps,
  ) {
    this.limiter = new AuthFailureLimiter(options.maxAuthFailures, options.authWindowMs, options.lockoutMs);
  }

  /** Listens on the configured loopback port; rejects with the socket error (`EADDRINUSE`…) when it cannot. */
  async listen(): Promise<AddressInfo> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.logger.log(`Backdoor server available on ${address.address}:${address.port}`);
    return address;
  }

  address(): AddressInfo | undefined {
    return (this.server?.address() as AddressInfo | null) ?? undefined;
  }

  /** TCP connections open now: sessions, and refused ones not yet closed. */
  connectionCount(): Promise<number> {
    const server = this.server;
    if (!server) return Promise.resolve(0);
    return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  /** Stops listening and closes every session; the service itself is untouched. */
  async close(): Promise<void> {
    for (const session of this.sessions) session.close(undefined, '\nservice shutting down: closing\n');
    this.sessions.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const id = this.nextId++;
    const wait = this.limiter.retryAfterMs();
    if (wait > 0) return this.refuse(socket, id, 'rate_limited', lockedOutMessage(wait));
    if (this.sessions.size >= this.options.maxSessions) {
      return this.refuse(socket, id, 'max_sessions', tooManySessionsMessage(this.options.maxSessions));
    }
    this.record(id, 'connected', { remote: socket.remoteAddress });
    const session = new BackdoorSession(socket, this.options, this.limiter, this.deps.banner, this.deps.context, (event) => {
      if (event.type === 'closed') this.sessions.delete(session);
      this.record(id, event.type, event.type === 'command' ? { command: event.command } : {});
    });
    this.sessions.add(session);
    session.start();
  }

  // A refused connection never becomes a session, so it cannot hold a session slot. Its socket
  // is destroyed as soon as the message is out: end() alone would keep the descriptor until the
  // client closes its side, which a flood of connections never does.
  private refuse(socket: Socket, id: number, reason: string, message: string): void {
    this.record(id, 'refused', { reason });
    socket.on('error', () => undefined);
    socket.end(message, () => socket.destroy());
  }

  private record(session: number, event: SessionEvent['type'] | 'connected' | 'refused', fields: Record<string, unknown>): void {
    const warn = event === 'auth_failed' || event === 'rate_limited' || event === 'refused' || event === 'line_too_long';
    if (event !== 'command') {
      const text = `session ${session} ${event}${fields.reason ? ` (${String(fields.reason)})` : ''}`;
      if (warn) this.logger.warn(text);
      else this.logger.log(text);
    }
    this.deps.debug?.log(DebugCategory.BACKDOOR, `backdoor.${event}`, { session, ...fields }, warn ? 'warn' : 'info');
  }
}
