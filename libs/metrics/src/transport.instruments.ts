import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './metrics.constants.js';

/**
 * The metrics of the NATS transport and the auth guard, in one registry. Every label is from a
 * bounded set: a handler's subject pattern, a target the service's code calls, an error code,
 * a role; never a raw subject a publisher chose, never a token. (README: Metrics.)
 */
export class TransportInstruments {
  readonly handled: Counter<'kind' | 'subject' | 'outcome'>;
  readonly handlerSeconds: Histogram<'kind' | 'subject'>;
  readonly calls: Counter<'target' | 'outcome'>;
  readonly callSeconds: Histogram<'target'>;
  readonly refused: Counter<'kind' | 'subject' | 'code'>;
  readonly deadLetters: Counter<'subject' | 'delivery' | 'code'>;
  readonly redeliveries: Counter<'subject' | 'code'>;
  readonly disconnects: Counter<'role'>;
  readonly reconnects: Counter<'role'>;
  readonly authFailures: Counter<'transport' | 'reason'>;
  readonly bulkheads: Counter<'kind' | 'subject' | 'scope' | 'outcome'>;
  readonly circuitState: Gauge<'target' | 'state'>;
  readonly circuitOpens: Counter<'target'>;
  readonly retries: Counter<'target'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.handled = new Counter({ name: 'cliffracer_handled_total', help: 'RPC and event messages handled', labelNames: ['kind', 'subject', 'outcome'], registers });
    this.handlerSeconds = new Histogram({ name: 'cliffracer_handler_duration_seconds', help: 'RPC and event handler latency', labelNames: ['kind', 'subject'], buckets: LATENCY_BUCKETS, registers });
    this.calls = new Counter({ name: 'cliffracer_calls_total', help: 'RPC calls this service made, by target and outcome (ok or the error code)', labelNames: ['target', 'outcome'], registers });
    this.callSeconds = new Histogram({ name: 'cliffracer_call_duration_seconds', help: 'RPC call latency as the caller saw it, failures included', labelNames: ['target'], buckets: LATENCY_BUCKETS, registers });
    this.refused = new Counter({ name: 'cliffracer_refused_total', help: 'Messages refused as bad input or for want of room, by code', labelNames: ['kind', 'subject', 'code'], registers });
    this.deadLetters = new Counter({ name: 'cliffracer_dead_letters_total', help: 'Events stored on the dead-letter subject', labelNames: ['subject', 'delivery', 'code'], registers });
    this.redeliveries = new Counter({ name: 'cliffracer_redeliveries_total', help: 'Failed durable events handed back to JetStream for another delivery', labelNames: ['subject', 'code'], registers });
    this.disconnects = new Counter({ name: 'cliffracer_nats_disconnects_total', help: 'Times a NATS connection of the service was lost', labelNames: ['role'], registers });
    this.reconnects = new Counter({ name: 'cliffracer_nats_reconnects_total', help: 'Times a NATS connection of the service came back', labelNames: ['role'], registers });
    this.authFailures = new Counter({ name: 'cliffracer_auth_failures_total', help: 'Requests the auth guard refused, by transport and reason', labelNames: ['transport', 'reason'], registers });
    this.bulkheads = new Counter({ name: 'cliffracer_bulkhead_total', help: 'Messages a bulkhead turned away (refused) or let expire in its queue, by scope', labelNames: ['kind', 'subject', 'scope', 'outcome'], registers });
    this.circuitState = new Gauge({ name: 'cliffracer_circuit_state', help: "State of the client's circuit to each target: 1 for its current state", labelNames: ['target', 'state'], registers });
    this.circuitOpens = new Counter({ name: 'cliffracer_circuit_opens_total', help: 'Times the circuit to a target opened', labelNames: ['target'], registers });
    this.retries = new Counter({ name: 'cliffracer_call_retries_total', help: 'Call attempts made again by the retry policy, by target', labelNames: ['target'], registers });
  }
}
