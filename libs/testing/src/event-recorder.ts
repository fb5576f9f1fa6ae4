import { CliffracerError } from '@cliffracer/common';
import { CORRELATION_ID_HEADER } from '@cliffracer/correlation';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** An event as a test sees it. */
export interface RecordedEvent<T = unknown> {
  subject: string;
  /** The body parsed as JSON, or `undefined` when it is empty or not JSON. */
  payload: T;
  /** The body as text, as published. */
  text: string;
  correlationId?: string;
  headers: Record<string, string>;
}

/**
 * Records what is published on a subject (wildcards allowed), straight from NATS.
 * Subscribed before `recordEvents` resolves, so nothing published afterwards is missed.
 */
export class EventRecorder<T = unknown> {
  readonly events: RecordedEvent<T>[] = [];
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly nc: NatsConnection,
    private readonly sub: Subscription,
  ) {}

  static async start<T>(servers: string, subject: string): Promise<EventRecorder<T>> {
    const nc = await connect({ servers });
    let recorder: EventRecorder<T> | undefined;
    const sub = nc.subscribe(subject, { callback: (_err, msg) => recorder?.record(msg) });
    recorder = new EventRecorder<T>(nc, sub);
    await nc.flush();
    return recorder;
  }

  /** Resolves once `count` events arrived, or rejects after `timeoutMs`. */
  async waitFor(count = 1, timeoutMs = 5000): Promise<RecordedEvent<T>[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new CliffracerError(`expected ${count} event(s) on ${this.sub.getSubject()}, got ${this.events.length}`, {
          code: 'EVENT_TIMEOUT',
        });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.events.slice(0, count);
  }

  async close(): Promise<void> {
    await this.nc.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private record(msg: { subject: string; data: Uint8Array; headers?: Iterable<[string, string[]]> }): void {
    const headers: Record<string, string> = {};
    for (const [key, values] of msg.headers ?? []) headers[key] = values.join(',');
    const text = new TextDecoder().decode(msg.data);
    this.events.push({
      subject: msg.subject,
      payload: parseOrUndefined(text) as T,
      text,
      correlationId: headers[CORRELATION_ID_HEADER],
      headers,
    });
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** Subscribes to `subject`, runs `trigger`, and resolves the first event published there. */
export async function waitForEvent<T = unknown>(
  servers: string,
  subject: string,
  trigger: () => unknown,
  timeoutMs = 5000,
): Promise<RecordedEvent<T>> {
  const recorder = await EventRecorder.start<T>(servers, subject);
  try {
    await trigger();
    const [event] = await recorder.waitFor(1, timeoutMs);
    return event!;
  } finally {
    await recorder.close();
  }
}

// A recorder also watches dead-letter subjects, where bodies may be anything.
function parseOrUndefined(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
