import { boundedTraceValue } from '@cliffracer/correlation';
import type { MsgHdrs } from '@nats-io/transport-node';
import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/**
 * Reads trace headers (`traceparent`, `tracestate`, or what another propagator asks for) from
 * NATS headers in any casing, as HTTP does. Repeated or oversized values are handled by
 * `boundedTraceValue`: the propagator never sees more than `TRACE_HEADER_LIMITS` allows.
 */
export const natsTraceGetter: TextMapGetter<MsgHdrs | undefined> = {
  keys: (headers) => headers?.keys() ?? [],
  get(headers, key) {
    if (headers === undefined) return undefined;
    const lower = key.toLowerCase();
    let values: string[] | undefined;
    for (const [name, value] of headers) {
      if (name.toLowerCase() !== lower) continue;
      values ??= [];
      for (const one of value) values.push(one);
    }
    return boundedTraceValue(values);
  },
};

/** Writes trace headers; a value nats.js refuses (from a custom propagator) is left out, never thrown. */
export const natsTraceSetter: TextMapSetter<MsgHdrs> = {
  set(headers, key, value) {
    try {
      headers.set(key, value);
    } catch {
      // The message goes without that header: it still arrives, in a new trace.
    }
  },
};
