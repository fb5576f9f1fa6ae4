import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CORRELATION_ID_HEADER, CorrelationContext, isValidCorrelationId } from '@cliffracer/correlation';
import { CallerHeader, ERROR_STATUS_HEADER, Event, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { type NatsEndpoint, RawNatsSocket, type TestApp, waitUntil } from '@cliffracer/testing';
import { type CanActivate, Controller, type ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { Ctx, NatsContext, Payload } from '@nestjs/microservices';
import { type MsgHdrs, MsgHdrsImpl, type NatsConnection } from '@nats-io/transport-node';
import { type ServiceWithRaw, startServiceWithRaw } from '../support/service-with-raw.js';
import { startTraceRecording, type TraceRecording } from '../tracing/trace-recording.js';

/**
 * Header blocks a hostile publisher writes byte by byte (latin1: one character, one byte), each
 * aimed at where the server's own scan of a block (its correlation ID, and whether nats.js can
 * decode it) could part from nats.js's decoding: UTF-8 sequences valid, invalid and cut, NUL,
 * DEL and high bytes, CRs and LFs out of place, status lines, and header lengths that cut a line.
 * `body` is what precedes the JSON body: the rest of a line the declared length cut off.
 */
const BLOCKS: Array<[name: string, block: string, body?: string]> = [
  ['the bare block', 'NATS/1.0\r\n\r\n'],
  ['the preamble alone', 'NATS/1.0\r\n'],
  ['a block without its closing empty line', 'NATS/1.0\r\nX-Correlation-ID: open-1\r\n'],
  ['a correlation ID sent twice', 'NATS/1.0\r\nX-Correlation-ID: first-1\r\nX-Correlation-ID: second-1\r\n\r\n'],
  ['the correlation ID in lower case only', 'NATS/1.0\r\nx-correlation-id: lower-1\r\n\r\n'],
  ['colons inside values', 'NATS/1.0\r\nX-Correlation-ID: a:b:c\r\nX-Note: x:y\r\n\r\n'],
  ['tabs and no space around a value', 'NATS/1.0\r\nX-Correlation-ID:\ttab-1\t\r\n\r\n'],
  ['an empty name', 'NATS/1.0\r\n: nameless\r\nX-Correlation-ID: empty-name-1\r\n\r\n'],
  ['empty values', 'NATS/1.0\r\nX-Correlation-ID:\r\nX-Note:\r\n\r\n'],
  ['UTF-8 in a value', 'NATS/1.0\r\nX-Note: caf\xc3\xa9 \xf0\x9f\x98\x80\r\nX-Correlation-ID: utf8-1\r\n\r\n'],
  ['Unicode spaces around the correlation ID', 'NATS/1.0\r\nX-Correlation-ID: \xe3\x80\x80space-1\xc2\xa0\xe2\x80\xa8\r\n\r\n'],
  ['a BOM before the correlation ID', 'NATS/1.0\r\nX-Correlation-ID:\xef\xbb\xbfbom-1\r\n\r\n'],
  ['invalid UTF-8 in values', 'NATS/1.0\r\nX-Note: \xff\xfe\xc3\r\nX-Correlation-ID: \xe2\x80\r\n\r\n'],
  ['a UTF-8 sequence cut by the CRLF', 'NATS/1.0\r\nX-Correlation-ID: cut\xf0\x9f\x98\r\n\r\n'],
  ['a surrogate encoded in UTF-8', 'NATS/1.0\r\nX-Correlation-ID: \xed\xa0\x80s-1\r\n\r\n'],
  ['NUL and DEL in a value', 'NATS/1.0\r\nX-Note: a\x00b\x7fc\r\nX-Correlation-ID: nul-1\r\n\r\n'],
  ['a NUL in a name', 'NATS/1.0\r\nX-No\x00te: v\r\nX-Correlation-ID: nul-name-1\r\n\r\n'],
  ['DEL in a name', 'NATS/1.0\r\nX-Note\x7f: v\r\n\r\n'],
  ['a byte over 127 in a name', 'NATS/1.0\r\nX-N\x80ote: v\r\n\r\n'],
  ['UTF-8 in a name', 'NATS/1.0\r\nX-Not\xc3\xa9: v\r\n\r\n'],
  ['the correlation name and a high byte', 'NATS/1.0\r\nX-Correlation-ID\xff: spoof-1\r\n\r\n'],
  ['a space before the colon', 'NATS/1.0\r\nX-Correlation-ID : space-name-1\r\n\r\n'],
  ['CR CR LF ending a value', 'NATS/1.0\r\nX-Correlation-ID: crcr-1\r\r\n\r\n'],
  ['a lone CR inside a value', 'NATS/1.0\r\nX-Note: a\rb\r\n\r\n'],
  ['a bare LF ending the correlation line', 'NATS/1.0\r\nX-Correlation-ID: lf-1\n\r\n'],
  ['a bare LF smuggling a header into a value', 'NATS/1.0\r\nX-Note: a\nX-Correlation-ID: smuggled-1\r\n\r\n'],
  ['a line without a colon', 'NATS/1.0\r\nnocolon\r\nX-Correlation-ID: no-colon-1\r\n\r\n'],
  ['a lone CR line', 'NATS/1.0\r\n\r\r\nX-Correlation-ID: cr-line-1\r\n\r\n'],
  ['headers after the empty line', 'NATS/1.0\r\nX-Correlation-ID: before-1\r\n\r\nX-Correlation-ID: after-1\r\nX-Note: late\r\n\r\n'],
  ['a status line', 'NATS/1.0 503\r\n\r\n'],
  ['a status line with a description and headers', 'NATS/1.0 408 Request Timeout\r\nX-Correlation-ID: status-1\r\n\r\n'],
  ['a status that is no number', 'NATS/1.0 abc\r\nX-Correlation-ID: status-2\r\n\r\n'],
  ['another version', 'NATS/1.1\r\nX-Correlation-ID: version-1\r\n\r\n'],
  ['no preamble', 'X-Correlation-ID: no-preamble-1\r\n\r\n'],
  ['a BOM before the preamble', '\xef\xbb\xbfNATS/1.0\r\nX-Correlation-ID: bom-preamble-1\r\n\r\n'],
  ['a header length that cuts the correlation line', 'NATS/1.0\r\nX-Correlation-ID: cut-1', '\r\n\r\n'],
  ['a header length that ends on a CR whose LF opens the body', 'NATS/1.0\r\nX-Correlation-ID: cr-end-1\r\n\r', '\n'],
  ['a header length that ends between CR and LF', 'NATS/1.0\r\nX-Correlation-ID: mid-1\r', '\n\r\n'],
  ['2000 headers, the correlation ID last', `NATS/1.0\r\n${'X-Pad: v\r\n'.repeat(2000)}X-Correlation-ID: many-1\r\n\r\n`],
  ['a 64 KiB value', `NATS/1.0\r\nX-Note: ${'\xc3\xa9'.repeat(32 * 1024)}\r\nX-Correlation-ID: long-value-1\r\n\r\n`],
  ['a correlation ID over the length limit', `NATS/1.0\r\nX-Correlation-ID: ${'x'.repeat(200)}\r\n\r\n`],
  ['a correlation ID with characters it may not have', 'NATS/1.0\r\nX-Correlation-ID: a b<c>\r\n\r\n'],
  ['headers named like Object properties', 'NATS/1.0\r\n__proto__: p\r\nconstructor: c\r\nX-Note: proto\r\n\r\n'],
];

/** What a reader of a message's headers sees, in a form that crosses JSON. */
interface HeadersView {
  code: number;
  description: string;
  entries: Array<[string, string[]]>;
}

function view(headers: MsgHdrs | undefined): HeadersView | null {
  return headers === undefined ? null : { code: headers.code, description: headers.description, entries: [...headers] };
}

/** What nats.js decodes of a block: its view and correlation ID, or undefined when it throws. */
function decoded(block: string): { headers: HeadersView; correlationId: string; note?: string } | undefined {
  let headers: MsgHdrs;
  try {
    headers = MsgHdrsImpl.decode(Buffer.from(block, 'latin1'));
  } catch {
    return undefined;
  }
  // As @CallerHeader reads a header: every casing, values joined.
  const notes = [...headers].filter(([name]) => name.toLowerCase() === 'x-note').flatMap(([, values]) => values);
  return { headers: view(headers)!, correlationId: headers.get(CORRELATION_ID_HEADER), note: notes.length > 0 ? notes.join(', ') : undefined };
}

/** What the guard and the handlers read of each message, by its body's `i`. */
@Injectable()
class Seen {
  readonly guard = new Map<number, HeadersView | null>();
  readonly events = new Map<number, Handled>();
  readonly durables = new Map<number, Handled>();
}

/** What an event handler read. */
interface Handled {
  headers: HeadersView | null;
  note: string | null;
  correlationId?: string;
}

/** A guard that reads the headers first, before any decorator or handler. */
@Injectable()
class HeaderGate implements CanActivate {
  constructor(private readonly seen: Seen) {}

  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToRpc().getContext<NatsContext>().getHeaders();
    this.seen.guard.set(context.switchToRpc().getData<{ i: number }>().i, view(headers));
    return headers?.get('X-Gate') !== 'deny';
  }
}

@Controller()
class ProbeController {
  constructor(private readonly seen: Seen) {}

  @Rpc()
  @UseGuards(HeaderGate)
  look(@Payload() body: { i: number }, @Ctx() ctx: NatsContext, @CallerHeader('X-Note') note?: string) {
    return { i: body.i, headers: view(ctx.getHeaders()), note: note ?? null, correlationId: CorrelationContext.currentId() };
  }

  /** Reads no header: the server alone looks at the block. */
  @Rpc()
  quiet(@Payload() body: { i: number }) {
    return body;
  }

  @Event('probe.events.seen')
  @UseGuards(HeaderGate)
  seenEvent(@Payload() body: { i: number }, @Ctx() ctx: NatsContext, @CallerHeader('X-Note') note?: string) {
    this.seen.events.set(body.i, { headers: view(ctx.getHeaders()), note: note ?? null, correlationId: CorrelationContext.currentId() });
  }

  @Event('probe.durable.seen', { durable: 'seen', maxDeliver: 1 })
  @UseGuards(HeaderGate)
  seenDurable(@Payload() body: { i: number }, @Ctx() ctx: NatsContext, @CallerHeader('X-Note') note?: string) {
    this.seen.durables.set(body.i, { headers: view(ctx.getHeaders()), note: note ?? null, correlationId: CorrelationContext.currentId() });
  }
}

describe('Header blocks read by the server before nats.js decodes them', () => {
  let nats: NatsEndpoint;
  let service: TestApp;
  let caller: NatsClient;
  let watcher: NatsConnection;
  let prefix: string;
  const seen = new Seen();
  let sent = 0;

  let fixture: ServiceWithRaw;

  beforeAll(async () => {
    fixture = await startServiceWithRaw({
      nats: { service: 'probe' },
      controllers: [ProbeController],
      providers: [{ provide: Seen, useValue: seen }, HeaderGate],
      logger: false,
      durable: true,
    });
    ({ nats, service, prefix, raw: watcher } = fixture);
    caller = new NatsClient({ service: 'caller', servers: nats.url, subjectPrefix: prefix });
  });

  afterAll(async () => {
    await caller?.close();
    await fixture?.close();
  });

  /** A valid call right after a hostile frame is answered in normal time: the reader lives. */
  async function answersPromptly(): Promise<void> {
    const startedAt = performance.now();
    await expect(caller.call('probe', 'quiet', { i: -1 }, { timeoutMs: 2000 })).resolves.toEqual({ i: -1 });
    expect(performance.now() - startedAt).toBeLessThan(500);
  }

  /** Sends `block` as a raw HPUB to `subject` and resolves the reply (status and body) on a subject of the test's. */
  async function rawRequest(subject: string, block: string, i: number, body = '') {
    const inbox = `${prefix}.reply.${i}`;
    const replies = watcher.subscribe(inbox, { max: 1, timeout: 2000 });
    await watcher.flush();
    await using raw = await RawNatsSocket.open(nats.url);
    raw.hpub(`${prefix}.${subject}`, inbox, block, `${body}${JSON.stringify({ i })}`);
    for await (const reply of replies) return { status: reply.headers?.get(ERROR_STATUS_HEADER) || undefined, body: JSON.parse(reply.string()) as Record<string, unknown> };
    throw new Error(`no reply on ${inbox}`);
  }

  // Run without an OpenTelemetry SDK, then with one: its tracing reads the headers before the guard.
  describe.each([false, true])('with tracing %p', (tracing) => {
    let recording: TraceRecording | undefined;

    beforeAll(() => {
      if (tracing) recording = startTraceRecording();
    });

    afterAll(async () => {
      await recording?.stop();
    });

    it.each(BLOCKS)('answers a request with %s as nats.js reads it, and the next call at once', async (_name, block, body = '') => {
      const i = (sent += 1);
      const expected = decoded(block);
      const reply = await rawRequest('probe.look', block, i, body);
      if (expected === undefined) {
        expect(reply).toMatchObject({ status: '400', body: { code: 'BAD_PAYLOAD' } });
        expect(seen.guard.has(i)).toBe(false);
      } else {
        expect({ status: reply.status, message: reply.body.message }).toEqual({ status: undefined, message: undefined });
        expect(reply.body).toMatchObject({ i, headers: expected.headers, note: expected.note ?? null });
        expect(seen.guard.get(i)).toEqual(expected.headers);
        if (isValidCorrelationId(expected.correlationId)) expect(reply.body.correlationId).toBe(expected.correlationId);
        else expect(reply.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      }
      if (tracing) await recording!.waitFor((spans) => spans.some((span) => span.name === `process ${prefix}.probe.look` && span.attributes['messaging.message.body.size'] !== undefined), 1000);
      await answersPromptly();
    });
  });

  it('lets the guard refuse by a header it reads lazily', async () => {
    const i = (sent += 1);
    // Nest turns a guard's refusal over NATS into an RpcException of its own.
    const reply = await rawRequest('probe.look', 'NATS/1.0\r\nX-Note: n\r\nX-Gate: deny\r\n\r\n', i);
    expect(reply.body).toMatchObject({ code: 'RPC_ERROR', message: 'Forbidden resource' });
    expect(seen.guard.get(i)?.entries).toEqual([['X-Note', ['n']], ['X-Gate', ['deny']]]);
    await answersPromptly();
  });

  it('reads a plain block on its bytes: nats.js decodes it only for a handler that reads headers, and once', async () => {
    const block = 'NATS/1.0\r\nX-Correlation-ID: lazy-1\r\nX-Note: n\r\n\r\n';
    const decode = jest.spyOn(MsgHdrsImpl, 'decode');
    try {
      await expect(rawRequest('probe.quiet', block, (sent += 1))).resolves.toMatchObject({ body: { i: sent } });
      expect(decode).not.toHaveBeenCalled();
      await expect(rawRequest('probe.look', block, (sent += 1))).resolves.toMatchObject({ body: { correlationId: 'lazy-1', note: 'n' } });
      expect(decode).toHaveBeenCalledTimes(1);
    } finally {
      decode.mockRestore();
    }
  });

  it('hands every core event to its handler as nats.js reads it, or dead-letters it when nats.js cannot', async () => {
    const deadLetters = new Set<number>();
    const letters = watcher.subscribe(`${prefix}.cliffracer.dead-letter.probe.events.seen`, {
      callback: (_error, letter) => {
        deadLetters.add((JSON.parse(letter.string()) as { i: number }).i);
      },
    });
    await watcher.flush();
    const first = sent + 1;
    await using raw = await RawNatsSocket.open(nats.url);
    for (const [, block, body = ''] of BLOCKS) raw.hpub(`${prefix}.probe.events.seen`, undefined, block, `${body}${JSON.stringify({ i: (sent += 1) })}`);
    await raw.ping();
    await waitUntil(() => seen.events.size + deadLetters.size >= BLOCKS.length, 3000);
    letters.unsubscribe();
    BLOCKS.forEach(([name, block], k) => {
      const expected = decoded(block);
      const event = seen.events.get(first + k);
      if (expected === undefined) {
        expect({ name, dead: deadLetters.has(first + k), event }).toEqual({ name, dead: true, event: undefined });
        return;
      }
      expect({ name, event, guard: seen.guard.get(first + k) }).toMatchObject({ name, event: { headers: expected.headers, note: expected.note ?? null }, guard: expected.headers });
      if (isValidCorrelationId(expected.correlationId)) expect(event!.correlationId).toBe(expected.correlationId);
    });
    await answersPromptly();
  });

  it('hands durable events to their handler as nats.js reads them, dead-letters the one it cannot, and goes on', async () => {
    const durable = BLOCKS.filter(([name]) => ['invalid UTF-8 in values', 'a NUL in a name', 'a status line with a description and headers', 'a header length that ends on a CR whose LF opens the body'].includes(name));
    expect(durable).toHaveLength(4);
    const deadLetters = watcher.subscribe(`${prefix}.cliffracer.dead-letter.probe.durable.seen`);
    await watcher.flush();
    const first = sent + 1;
    await using raw = await RawNatsSocket.open(nats.url);
    for (const [, block, body = ''] of durable) raw.hpub(`${prefix}.probe.durable.seen`, undefined, block, `${body}${JSON.stringify({ i: (sent += 1) })}`);
    await raw.ping();
    await waitUntil(() => seen.durables.size + deadLetters.getReceived() >= durable.length, 5000);
    deadLetters.unsubscribe();
    expect(deadLetters.getReceived()).toBe(durable.filter(([, block]) => decoded(block) === undefined).length);
    durable.forEach(([name, block], k) => {
      const expected = decoded(block);
      if (expected !== undefined) expect({ name, event: seen.durables.get(first + k) }).toMatchObject({ name, event: { headers: expected.headers, note: expected.note ?? null } });
      else expect({ name, event: seen.durables.get(first + k) }).toEqual({ name, event: undefined });
    });
    await answersPromptly();
  });
});
