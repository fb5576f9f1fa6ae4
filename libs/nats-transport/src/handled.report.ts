import type { JsMsg } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/transport-node';
import type { NormalizedNatsTransportOptions } from './interfaces/nats-transport-options.interface.js';
import { handledChannel, type HandledReport } from './nats-transport.diagnostics.js';
import type { NatsRoute } from './nats-routes.js';
import type { WireError } from './wire/wire-error.js';

/** What of a service's options a handled report names. */
type ReportingOptions = Pick<NormalizedNatsTransportOptions, 'service' | 'subjectPrefix' | 'requestTimeoutMs'>;

/**
 * Publishes a handler's run on `NATS_HANDLED_CHANNEL`; callers check `hasSubscribers` first.
 * A route without wildcards names the subject too: nothing is decoded or cut per message.
 * Every handled report has the same fields, failed or not (no spread), so a listener's reads of
 * them meet one shape.
 */
export function reportHandled(
  options: ReportingOptions,
  route: NatsRoute,
  msg: Msg | JsMsg,
  correlationId: string,
  startedAt: number,
  finishedAt: number,
  failure: WireError | undefined,
): void {
  const report: HandledReport = {
    kind: route.kind,
    service: options.service,
    subject: route.exact ? route.name : msg.subject.slice(options.subjectPrefix.length),
    route: route.name,
    correlationId,
    durationMs: finishedAt - startedAt,
    finishedAt,
    timeoutMs: route.timeoutMs ?? route.durable?.ackWaitMs ?? options.requestTimeoutMs,
    failed: failure !== undefined,
    errorName: failure?.name,
    errorCode: failure?.code,
    errorMessage: failure?.message,
  };
  handledChannel.publish(report);
}
