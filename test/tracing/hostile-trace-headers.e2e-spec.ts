import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CORRELATION_ID_ATTRIBUTE, CORRELATION_ID_HEADER } from '@cliffracer/correlation';
import { Event, Rpc } from '@cliffracer/nats-transport';
import { CapturingLogger, waitUntil } from '@cliffracer/testing';
import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { type ServiceWithRaw, startServiceWithRaw } from '../support/service-with-raw.js';
import { parentOf, startTraceRecording, type TraceRecording, traceOf } from './trace-recording.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const GOOD = `00-${TRACE}-${SPAN}-01`;

@Controller()
class EchoController {
  events = 0;

  @Rpc()
  echo(@Payload() body: { n: number }) {
    return body;
  }

  @Event('echo.events.seen')
  seen(): void {
    this.events += 1;
  }
}

/** Headers with the given trace header lines, appended in order. */
function traceHeaders(...lines: Array<[string, string]>): MsgHdrs {
  const h = natsHeaders();
  for (const [name, value] of lines) h.append(name, value);
  return h;
}

describe('Trace headers a sender chooses', () => {
  let fixture: ServiceWithRaw;
  let recording: TraceRecording;
  const logger = new CapturingLogger();
  const diagnostics: string[] = [];

  // Each call names itself by its correlation ID, which its span carries.
  const call = async (h: MsgHdrs, n: number) => {
    h.set(CORRELATION_ID_HEADER, `hostile-${n}`);
    const reply = await fixture.raw.request(`${fixture.prefix}.echo.echo`, JSON.stringify({ n }), { headers: h, timeout: 3000 });
    return JSON.parse(reply.string()) as { n: number };
  };
  const handlingOf = (n: number) => recording.spans().find((span) => span.name === `process ${fixture.prefix}.echo.echo` && span.attributes[CORRELATION_ID_ATTRIBUTE] === `hostile-${n}`);

  beforeAll(async () => {
    recording = startTraceRecording();
    // The API's own diagnostics would be where a propagator complains.
    diag.setLogger({ error: (m) => diagnostics.push(m), warn: (m) => diagnostics.push(m), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    fixture = await startServiceWithRaw({ nats: { service: 'echo' }, controllers: [EchoController], logger });
  });

  afterAll(async () => {
    await fixture?.close();
    diag.disable();
    await recording?.stop();
  });

  it('continues a good traceparent, whatever its casing', async () => {
    expect(await call(traceHeaders(['TraceParent', GOOD]), 1)).toEqual({ n: 1 });
    await waitUntil(() => handlingOf(1) !== undefined);
    expect(traceOf(handlingOf(1)!)).toBe(TRACE);
    expect(parentOf(handlingOf(1)!)).toBe(SPAN);
  });

  it('answers and starts a new trace for a malformed, all-zero, repeated or oversized traceparent', async () => {
    const hostile: MsgHdrs[] = [
      traceHeaders(['traceparent', 'garbage']),
      traceHeaders(['traceparent', `00-${'0'.repeat(32)}-${SPAN}-01`]),
      traceHeaders(['traceparent', `ff-${TRACE}-${SPAN}-01`]),
      traceHeaders(['traceparent', `00-${TRACE}-${SPAN}-01-${'x'.repeat(100_000)}`]),
      traceHeaders(['traceparent', GOOD], ['traceparent', GOOD]),
      traceHeaders(...Array.from({ length: 5000 }, () => ['traceparent', GOOD] as [string, string])),
    ];
    for (const [i, h] of hostile.entries()) expect(await call(h, 10 + i)).toEqual({ n: 10 + i });
    await waitUntil(() => hostile.every((_, i) => handlingOf(10 + i) !== undefined));
    for (const i of hostile.keys()) {
      const span = handlingOf(10 + i)!;
      expect({ i, trace: traceOf(span) === TRACE, parent: parentOf(span) }).toEqual({ i, trace: false, parent: undefined });
    }
  });

  it('keeps a good traceparent but drops a tracestate over the limit', async () => {
    expect(await call(traceHeaders(['traceparent', GOOD], ['tracestate', `vendor=${'v'.repeat(100_000)}`]), 20)).toEqual({ n: 20 });
    expect(await call(traceHeaders(['traceparent', GOOD], ['tracestate', 'k=v'], ['tracestate', 'x=y']), 21)).toEqual({ n: 21 });
    await waitUntil(() => handlingOf(20) !== undefined && handlingOf(21) !== undefined);
    expect(traceOf(handlingOf(20)!)).toBe(TRACE);
    expect(handlingOf(20)!.spanContext().traceState).toBeUndefined();
    expect(handlingOf(21)!.spanContext().traceState?.serialize()).toBe('k=v,x=y');
  });

  it('handles a flood of events with broken trace headers without a log line', async () => {
    const controller = fixture.service.app.get(EchoController);
    for (let i = 0; i < 500; i++) {
      fixture.raw.publish(`${fixture.prefix}.echo.events.seen`, '{}', { headers: traceHeaders(['traceparent', `00-${i}-zz-01`], ['tracestate', ',,,=,=='.repeat(100)]) });
    }
    await waitUntil(() => controller.events === 500, 10_000);
    expect(logger.lines).toEqual([]);
    expect(diagnostics).toEqual([]);
  });
});
