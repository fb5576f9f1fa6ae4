import { afterEach, describe, expect, it } from '@jest/globals';
import {
  type CallReport,
  type HandledReport,
  NATS_CALL_CHANNEL,
  NATS_CIRCUIT_CHANNEL,
  NATS_DEAD_LETTER_CHANNEL,
  NATS_HANDLED_CHANNEL,
  NATS_OVERLOAD_CHANNEL,
  NATS_REDELIVERY_CHANNEL,
  NATS_REFUSED_CHANNEL,
  NATS_RETRY_CHANNEL,
  NATS_STATUS_CHANNEL,
} from '@cliffracer/nats-transport';
import { channel } from 'node:diagnostics_channel';
import { ServiceMetrics } from './service.metrics.js';

const publish = (name: string, report: object) => channel(name).publish(report);

const call = (subject: string, errorCode?: string): CallReport => ({
  service: 'front',
  subject,
  correlationId: 'c',
  durationMs: 20,
  finishedAt: 20,
  timeoutMs: 1000,
  failed: errorCode !== undefined,
  ...(errorCode && { errorCode }),
});

const handled = (route: string, errorCode?: string): HandledReport => ({
  kind: 'rpc',
  service: 'front',
  subject: route,
  route,
  correlationId: 'c',
  durationMs: 2,
  finishedAt: 2,
  timeoutMs: 1000,
  failed: errorCode !== undefined,
  ...(errorCode && { errorCode }),
});

/** The samples of one metric, as `{labels…}=value` without the service label. */
async function samples(metrics: ServiceMetrics, name: string): Promise<Record<string, number>> {
  const { values } = await metrics.registry.getSingleMetric(name)!.get();
  return Object.fromEntries(
    values
      .filter((sample) => (sample as { metricName?: string }).metricName === undefined || (sample as { metricName?: string }).metricName === `${name}_count`)
      .map((sample) => {
        const { service: _service, ...labels } = sample.labels as Record<string, string>;
        return [JSON.stringify(labels), sample.value];
      }),
  );
}

describe('ServiceMetrics', () => {
  let metrics: ServiceMetrics | undefined;
  const start = () => {
    metrics = new ServiceMetrics('front');
    metrics.onModuleInit();
    return metrics;
  };
  afterEach(() => metrics?.onModuleDestroy());

  describe('calls', () => {
    it('counts calls by target and outcome, with their latency by target', async () => {
      const m = start();
      publish(NATS_CALL_CHANNEL, call('inventory.get_stock'));
      publish(NATS_CALL_CHANNEL, call('inventory.get_stock', 'RPC_TIMEOUT'));
      publish(NATS_CALL_CHANNEL, call('nobody.here', 'NO_RESPONDERS'));
      expect(await samples(m, 'cliffracer_calls_total')).toEqual({
        '{"target":"inventory.get_stock","outcome":"ok"}': 1,
        '{"target":"inventory.get_stock","outcome":"RPC_TIMEOUT"}': 1,
        '{"target":"nobody.here","outcome":"NO_RESPONDERS"}': 1,
      });
      expect(await samples(m, 'cliffracer_call_duration_seconds')).toEqual({ '{"target":"inventory.get_stock"}': 2, '{"target":"nobody.here"}': 1 });
    });

    it('holds the codes a remote handler chose to a bounded set', async () => {
      const m = start();
      for (let i = 0; i < 1000; i++) publish(NATS_CALL_CHANNEL, call('evil.reply', `CODE_${i}`));
      const outcomes = Object.keys(await samples(m, 'cliffracer_calls_total'));
      expect(outcomes).toHaveLength(101);
      expect(outcomes).toContain('{"target":"evil.reply","outcome":"other"}');
    });

    it('skips the reports of another service in the process', async () => {
      const m = start();
      publish(NATS_CALL_CHANNEL, { ...call('a.b'), service: 'back' });
      expect(await samples(m, 'cliffracer_calls_total')).toEqual({});
    });
  });

  describe('failures of messages', () => {
    it('counts refusals from the transport and from handled reports with a refusal code', async () => {
      const m = start();
      publish(NATS_REFUSED_CHANNEL, { service: 'front', kind: 'event', route: 'audit.>', code: 'BAD_PAYLOAD' });
      publish(NATS_HANDLED_CHANNEL, handled('front.place', 'VALIDATION_ERROR'));
      publish(NATS_HANDLED_CHANNEL, handled('front.place', 'OUT_OF_STOCK'));
      expect(await samples(m, 'cliffracer_refused_total')).toEqual({
        '{"kind":"event","subject":"audit.>","code":"BAD_PAYLOAD"}': 1,
        '{"kind":"rpc","subject":"front.place","code":"VALIDATION_ERROR"}': 1,
      });
      expect(await samples(m, 'cliffracer_handled_total')).toEqual({ '{"kind":"rpc","subject":"front.place","outcome":"failure"}': 2 });
    });

    it('counts dead letters by delivery and redeliveries by code', async () => {
      const m = start();
      publish(NATS_DEAD_LETTER_CHANNEL, { service: 'front', route: 'audit.>', durable: false, code: 'INTERNAL' });
      publish(NATS_DEAD_LETTER_CHANNEL, { service: 'front', route: 'ledger.events.entry', durable: true, code: 'INTERNAL' });
      publish(NATS_REDELIVERY_CHANNEL, { service: 'front', route: 'ledger.events.entry', code: 'INTERNAL', delivery: 1, delayMs: 50 });
      expect(await samples(m, 'cliffracer_dead_letters_total')).toEqual({
        '{"subject":"audit.>","delivery":"core","code":"INTERNAL"}': 1,
        '{"subject":"ledger.events.entry","delivery":"durable","code":"INTERNAL"}': 1,
      });
      expect(await samples(m, 'cliffracer_redeliveries_total')).toEqual({ '{"subject":"ledger.events.entry","code":"INTERNAL"}': 1 });
    });
  });

  describe('resilience', () => {
    it('shows each circuit state as one series at 1, counts openings, retries and bulkhead turn-aways', async () => {
      const m = start();
      publish(NATS_CIRCUIT_CHANNEL, { service: 'front', target: 'inventory', state: 'open', previous: 'closed', errorName: 'NoRespondersError' });
      publish(NATS_CIRCUIT_CHANNEL, { service: 'front', target: 'inventory', state: 'half-open', previous: 'open' });
      publish(NATS_CIRCUIT_CHANNEL, { service: 'front', target: 'inventory', state: 'open', previous: 'half-open' });
      publish(NATS_RETRY_CHANNEL, { service: 'front', target: 'inventory', subject: 'inventory.get', attempt: 2, delayMs: 10, errorName: 'RpcTimeoutError' });
      publish(NATS_OVERLOAD_CHANNEL, { kind: 'rpc', service: 'front', subject: 'front.slow', route: 'front.slow', scope: 'handler', outcome: 'expired', running: 1, queued: 0 });
      publish(NATS_OVERLOAD_CHANNEL, { kind: 'rpc', service: 'back', subject: 'back.slow', route: 'back.slow', scope: 'service', outcome: 'refused', running: 1, queued: 0 });
      expect(await samples(m, 'cliffracer_circuit_state')).toEqual({
        '{"target":"inventory","state":"closed"}': 0,
        '{"target":"inventory","state":"open"}': 1,
        '{"target":"inventory","state":"half-open"}': 0,
      });
      expect(await samples(m, 'cliffracer_circuit_opens_total')).toEqual({ '{"target":"inventory"}': 2 });
      expect(await samples(m, 'cliffracer_call_retries_total')).toEqual({ '{"target":"inventory"}': 1 });
      expect(await samples(m, 'cliffracer_bulkhead_total')).toEqual({ '{"kind":"rpc","subject":"front.slow","scope":"handler","outcome":"expired"}': 1 });
    });
  });

  describe('connections and auth', () => {
    it('counts disconnects and reconnects by role', async () => {
      const m = start();
      publish(NATS_STATUS_CHANNEL, { service: 'front', role: 'server', status: 'disconnected' });
      publish(NATS_STATUS_CHANNEL, { service: 'front', role: 'server', status: 'connected' });
      publish(NATS_STATUS_CHANNEL, { service: 'front', role: 'client', status: 'disconnected' });
      expect(await samples(m, 'cliffracer_nats_disconnects_total')).toEqual({ '{"role":"server"}': 1, '{"role":"client"}': 1 });
      expect(await samples(m, 'cliffracer_nats_reconnects_total')).toEqual({ '{"role":"server"}': 1 });
    });

    it('counts the refusals its auth feed reports until destroyed', async () => {
      const m = start();
      let listener: ((reason: string, transport: string) => void) | undefined;
      m.countAuthFailures({ onRecord: (l) => ((listener = l), () => (listener = undefined)) });
      listener!('no token', 'rpc');
      listener!('no token', 'rpc');
      listener!('bad signature', 'http');
      expect(await samples(m, 'cliffracer_auth_failures_total')).toEqual({ '{"transport":"rpc","reason":"no token"}': 2, '{"transport":"http","reason":"bad signature"}': 1 });
      m.onModuleDestroy();
      expect(listener).toBeUndefined();
    });
  });

  it('counts nothing before init', async () => {
    const m = new ServiceMetrics('front');
    publish(NATS_CALL_CHANNEL, call('a.b'));
    expect(await samples(m, 'cliffracer_calls_total')).toEqual({});
  });
});
