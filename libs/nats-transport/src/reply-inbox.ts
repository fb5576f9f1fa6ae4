import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type PermissionViolationError, type Subscription } from '@nats-io/transport-node';
import { NoRespondersError } from './errors/no-responders.error.js';
import { RpcTimeoutError } from './errors/rpc-timeout.error.js';
import { TransportError } from './errors/transport.error.js';
import { MESSAGES } from './nats-transport.messages.js';
import { headerFault } from './wire/message-headers.js';

interface Waiting {
  subject: string;
  resolve(reply: Msg): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Where a client's requests get their replies: one wildcard subscription on an inbox of its
 * own, each request answered on `<inbox>.<token>`. It replaces nats.js's `request()`, which
 * allocates an error object with a captured stack for every request it completes; here a
 * request costs a promise, a timer and a map entry. A request the server has no responder for
 * is answered at once (NATS sends a 503 status); one whose connection drops fails at once
 * (`abandonAll`), as its reply would be lost.
 */
export class ReplyInbox {
  private readonly waiting = new Map<string, Waiting>();
  private readonly prefix: string;
  private readonly subscription: Subscription;
  private next = 0;

  constructor(
    private readonly nc: NatsConnection,
    inboxPrefix?: string,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    this.subscription = nc.subscribe(`${this.prefix}*`, {
      // Nothing may throw out of this callback: it would close the connection's reader.
      callback: (error, msg) => {
        if (error === null) this.settle(msg);
        else if (isPermissionViolation(error)) this.abandonAll(() => new TransportError(MESSAGES.permissionDenied('subscription', error.subject), { cause: error }));
      },
    });
    void this.watchPermissions();
  }

  /** Publishes `data` on `subject` and resolves its reply, or rejects with a typed error. */
  request(subject: string, data: Uint8Array | string, headers: MsgHdrs, timeoutMs: number): Promise<Msg> {
    const token = (this.next++).toString(36);
    return new Promise<Msg>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(token, new RpcTimeoutError(subject, timeoutMs)), timeoutMs);
      this.waiting.set(token, { subject, resolve, reject, timer });
      try {
        this.nc.publish(subject, data, { reply: `${this.prefix}${token}`, headers });
      } catch (error) {
        this.fail(token, error as Error);
      }
    });
  }

  /** Fails every request waiting now with the error `lost(subject)` makes. */
  abandonAll(lost: (subject: string) => Error): void {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const waiting of all) {
      clearTimeout(waiting.timer);
      waiting.reject(lost(waiting.subject));
    }
  }

  get size(): number {
    return this.waiting.size;
  }

  /** Stops listening; requests still waiting fail with `lost(subject)`. */
  close(lost: (subject: string) => Error): void {
    this.abandonAll(lost);
    this.subscription.unsubscribe();
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const waiting = this.waiting.get(token);
    if (waiting === undefined) return;
    this.waiting.delete(token);
    clearTimeout(waiting.timer);
    const fault = headerFault(msg, waiting.subject);
    if (fault !== undefined) waiting.reject(fault);
    else if (msg.data.length === 0 && msg.headers?.code === 503) waiting.reject(new NoRespondersError(waiting.subject));
    else waiting.resolve(msg);
  }

  /**
   * NATS refuses a publish the user may not make with an asynchronous `-ERR` the connection
   * reports on its status iterator, not on the publish: without this, such a call would wait
   * for its timeout. Ends when the connection closes.
   */
  private async watchPermissions(): Promise<void> {
    try {
      for await (const status of this.nc.status()) {
        if (status.type !== 'error' || !isPermissionViolation(status.error) || status.error.operation !== 'publish') continue;
        const denied = status.error;
        for (const [token, waiting] of this.waiting) {
          if (waiting.subject === denied.subject) this.fail(token, new TransportError(MESSAGES.permissionDenied('publish', denied.subject), { cause: denied }));
        }
      }
    } catch {
      // The connection's own status loop logs its failures; this one only fails calls early.
    }
  }

  private fail(token: string, error: Error): void {
    const waiting = this.waiting.get(token);
    if (waiting === undefined) return;
    this.waiting.delete(token);
    clearTimeout(waiting.timer);
    waiting.reject(error);
  }
}

function isPermissionViolation(error: unknown): error is PermissionViolationError {
  return error instanceof Error && error.name === 'PermissionViolationError';
}
