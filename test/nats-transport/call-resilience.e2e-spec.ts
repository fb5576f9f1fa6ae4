import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CliffracerError, InvalidOptionsError } from '@cliffracer/common';
import {
  type CallReport,
  CircuitOpenError,
  type CircuitReport,
  NATS_CALL_CHANNEL,
  NATS_CIRCUIT_CHANNEL,
  NATS_RETRY_CHANNEL,
  type NatsClient,
  NoRespondersError,
  RemoteError,
  type RetryReport,
  Rpc,
} from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

@Injectable()
class Counter {
  calls = 0;
  private release?: () => void;
  private held?: Promise<void>;

  /** Makes the next call hang until `letGo()`. */
  holdNext(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  async pass(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    await held;
  }

  letGo(): void {
    this.release?.();
  }
}

class OutOfStockError extends CliffracerError {
  override readonly name = 'OutOfStockError';
  constructor() {
    super('out of stock', { code: 'OUT_OF_STOCK' });
  }
}

@Controller()
class TargetController {
  constructor(
    private readonly counter: Counter,
    @Inject('CLIENT') private readonly client: () => NatsClient,
  ) {}

  @Rpc()
  async ping(): Promise<string> {
    this.counter.calls += 1;
    await this.counter.pass();
    return 'pong';
  }

  @Rpc()
  refuse(): never {
    this.counter.calls += 1;
    throw new OutOfStockError();
  }

  // Passes on the NoRespondersError of its own call to a service nobody runs.
  @Rpc()
  async relay(): Promise<unknown> {
    this.counter.calls += 1;
    return this.client().call('nobody', 'home', {}, { timeoutMs: 1000 });
  }
}

const fast = { attempts: 10, initialDelayMs: 20, maxDelayMs: 100 };

describe('client retries and circuit breakers', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let caller: TestApp;
  let breaking: TestApp;
  let target: TestApp | undefined;
  const retries: RetryReport[] = [];
  const circuits: CircuitReport[] = [];
  const onRetry = (report: unknown) => {
    if ((report as RetryReport).service === 'rcaller') retries.push(report as RetryReport);
  };
  const onCircuit = (report: unknown) => {
    if ((report as CircuitReport).service === 'bcaller') circuits.push(report as CircuitReport);
  };

  async function startTarget(name: string): Promise<TestApp> {
    target = await createTestApp({
      nats: { service: name, servers: nats.url, subjectPrefix: prefix },
      controllers: [TargetController],
      providers: [Counter, { provide: 'CLIENT', useFactory: () => () => target!.client }],
      logger: false,
    });
    return target;
  }

  beforeAll(async () => {
    nats = await ensureNats();
    prefix = uniquePrefix();
    subscribe(NATS_RETRY_CHANNEL, onRetry);
    subscribe(NATS_CIRCUIT_CHANNEL, onCircuit);
    caller = await createTestApp({ nats: { service: 'rcaller', servers: nats.url, subjectPrefix: prefix }, logger: false });
    breaking = await createTestApp({
      nats: { service: 'bcaller', servers: nats.url, subjectPrefix: prefix, circuitBreaker: { failureThreshold: 3, halfOpenAfterMs: 300 } },
      logger: false,
    });
  });

  afterEach(async () => {
    target?.app.get(Counter).letGo();
    await target?.close();
    target = undefined;
    retries.length = 0;
    circuits.length = 0;
  });

  afterAll(async () => {
    unsubscribe(NATS_RETRY_CHANNEL, onRetry);
    unsubscribe(NATS_CIRCUIT_CHANNEL, onCircuit);
    await caller?.close();
    await breaking?.close();
    await nats?.release();
  });

  describe('retry', () => {
    it('retries through no responders until the target comes up mid-call, under one correlation ID', async () => {
      const attempts: CallReport[] = [];
      const onCall = (report: unknown) => {
        if ((report as CallReport).subject === 'late.ping') attempts.push(report as CallReport);
      };
      subscribe(NATS_CALL_CHANNEL, onCall);
      try {
        const answer = caller.client.call('late', 'ping', {}, { timeoutMs: 20_000, retry: fast });
        await waitUntil(() => retries.length > 0);
        await startTarget('late');
        await expect(answer).resolves.toBe('pong');
      } finally {
        unsubscribe(NATS_CALL_CHANNEL, onCall);
      }
      expect(retries[0]).toMatchObject({ target: 'late', subject: 'late.ping', attempt: 2, errorName: 'NoRespondersError' });
      expect(attempts.length).toBeGreaterThan(1);
      expect(new Set(attempts.map((a) => a.correlationId)).size).toBe(1);
      // Each attempt says when it ended, on this process's clock, in the order they ran.
      for (const [i, attempt] of attempts.entries()) {
        expect(attempt.finishedAt).toBeLessThanOrEqual(performance.now());
        if (i > 0) expect(attempt.finishedAt - attempt.durationMs).toBeGreaterThanOrEqual(attempts[i - 1]!.finishedAt);
      }
    });

    it('gives up at the deadline with the last failure when the target never comes', async () => {
      const startedAt = Date.now();
      const failure = await caller.client.call('never', 'ping', {}, { timeoutMs: 600, retry: { attempts: 10, initialDelayMs: 50, maxDelayMs: 200 } }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(NoRespondersError);
      expect(retries.length).toBeGreaterThan(1);
      // Generous against a loaded machine; without the deadline ten attempts would wait up to 1.8 s.
      expect(Date.now() - startedAt).toBeLessThan(600 + 1000);
    });

    it('stops after its attempts', async () => {
      await expect(caller.client.call('never', 'ping', {}, { timeoutMs: 10_000, retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 } })).rejects.toBeInstanceOf(NoRespondersError);
      expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    });

    it('retries an attempt that timed out when attemptTimeoutMs leaves time for another', async () => {
      const service = await startTarget('slow');
      service.app.get(Counter).holdNext();
      await expect(caller.client.call('slow', 'ping', {}, { timeoutMs: 10_000, retry: { ...fast, attemptTimeoutMs: 300 } })).resolves.toBe('pong');
      expect(retries).toEqual([expect.objectContaining({ attempt: 2, errorName: 'RpcTimeoutError' })]);
      expect(service.app.get(Counter).calls).toBe(2);
    });

    it('never retries an error reply, nor a NoRespondersError the handler passed on', async () => {
      const service = await startTarget('shop');
      await expect(caller.client.call('shop', 'refuse', {}, { retry: fast })).rejects.toBeInstanceOf(RemoteError);
      await expect(caller.client.call('shop', 'relay', {}, { retry: fast })).rejects.toBeInstanceOf(NoRespondersError);
      expect(service.app.get(Counter).calls).toBe(2);
      expect(retries).toEqual([]);
    });

    it('refuses bad retry options on the call with InvalidOptionsError, sending nothing', async () => {
      await expect(caller.client.call('shop', 'ping', {}, { retry: { attempts: 0 } })).rejects.toThrow(InvalidOptionsError);
      await expect(caller.client.call('shop', 'ping', {}, { retry: { attempts: 3, delay: 5 } as never })).rejects.toThrow('unknown retry option "delay"');
    });
  });

  describe('circuit breaker', () => {
    const outMsgs = () => breaking.client.unwrap<NatsConnection>().stats().outMsgs;

    it('opens after failureThreshold failures in a row, then fails at once with CircuitOpenError without sending', async () => {
      for (let i = 0; i < 3; i++) await expect(breaking.client.call('down', 'ping')).rejects.toBeInstanceOf(NoRespondersError);
      const sent = outMsgs();
      const refused = await breaking.client.call('down', 'ping').catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CircuitOpenError);
      expect((refused as CircuitOpenError).code).toBe('CIRCUIT_OPEN');
      expect((refused as CircuitOpenError).message).toMatch(/^circuit to down is open after repeated failures: call not sent: /);
      expect(outMsgs()).toBe(sent);
      expect(breaking.client.circuitStates()).toMatchObject({ down: 'open' });
      expect(circuits).toEqual([{ service: 'bcaller', target: 'down', state: 'open', previous: 'closed', errorName: 'NoRespondersError' }]);
    });

    it('closes again when a probe after halfOpenAfterMs finds the target back', async () => {
      for (let i = 0; i < 3; i++) await breaking.client.call('back', 'ping').catch(() => undefined);
      expect(breaking.client.circuitStates()).toMatchObject({ back: 'open' });
      await startTarget('back');
      await waitUntil(() => breaking.client.call('back', 'ping').then(() => true, () => false), 5000, 50);
      expect(breaking.client.circuitStates()).toMatchObject({ back: 'closed' });
      expect(circuits.map((c) => c.state)).toEqual(['open', 'half-open', 'closed']);
    });

    it('does not count error replies of a live target as failures', async () => {
      const service = await startTarget('picky');
      for (let i = 0; i < 5; i++) await expect(breaking.client.call('picky', 'refuse')).rejects.toBeInstanceOf(RemoteError);
      expect(service.app.get(Counter).calls).toBe(5);
      expect(breaking.client.circuitStates()).toMatchObject({ picky: 'closed' });
    });
  });
});
