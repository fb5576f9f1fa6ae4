import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { lastValueFrom, Observable } from 'rxjs';
import { traceWsMessage, watchExceptionFrames } from './ws-tracing.js';

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test');

/** A socket that keeps what is sent, with Nest's exception handling watched. */
function socket(): { sent: unknown[]; send(data: unknown): void } {
  const client = {
    sent: [] as unknown[],
    send(data: unknown) {
      this.sent.push(data);
    },
  };
  watchExceptionFrames(client);
  return client;
}

/** Handles one message whose handling sends `frame` to `client` and completes, as Nest's filter does. */
async function handle(client: { send(data: unknown): void }, event: string, frame: string): Promise<void> {
  const handling = () => new Observable<unknown>((subscriber) => {
    client.send(frame);
    subscriber.complete();
  });
  await lastValueFrom(traceWsMessage(tracer, { event }, event, handling), { defaultValue: undefined });
}

const spanOf = (event: string) => exporter.getFinishedSpans().find((span) => span.name === `WS ${event}`)!;

describe('watchExceptionFrames', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    context.disable();
  });

  it('marks the message failed with the message its exception frame tells the client', async () => {
    const client = socket();
    const frame = JSON.stringify({ event: 'exception', data: { status: 'error', message: 'out of stock' } });
    await handle(client, 'reserve', frame);
    expect(client.sent).toEqual([frame]);
    expect(spanOf('reserve').status).toEqual({ code: SpanStatusCode.ERROR, message: 'WsException: out of stock' });
  });

  it('sends a frame that only looks like one, and fails the span without a message', async () => {
    const client = socket();
    await handle(client, 'odd', '{"event":"exception", not json');
    expect(client.sent).toEqual(['{"event":"exception", not json']);
    expect(spanOf('odd').status).toEqual({ code: SpanStatusCode.ERROR, message: 'WsException' });
  });

  it('leaves replies, and frames sent outside any message, as they are', async () => {
    const client = socket();
    await handle(client, 'level', JSON.stringify({ event: 'level', data: { level: 3 } }));
    expect(spanOf('level').status.code).toBe(SpanStatusCode.UNSET);
    client.send(JSON.stringify({ event: 'exception', data: { message: 'late' } }));
    expect(client.sent).toHaveLength(2);
  });
});
