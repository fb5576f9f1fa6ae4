import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { AuthModule, Public } from '@cliffracer/auth';
import { MetricsEndpoint, MetricsModule } from '@cliffracer/metrics';
import { Event, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, NatsServerProcess, RawNatsSocket, type TestApp, waitUntil } from '@cliffracer/testing';
import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServiceWithRaw, type ServiceWithRaw } from '../support/service-with-raw.js';
import { scrape, total } from './scrape.js';

const AUTH = { secret: 'metrics-test-secret-of-32-characters!!!', issuer: 'cliffracer-tests', audience: 'shop' };

@Public()
@Controller()
class FailingController {
  @Rpc()
  ok(@Payload() body: { n: number }) {
    return body;
  }

  @Rpc()
  async slow() {
    await sleep(1500);
    return 'late';
  }

  @Event('meter.events.broken')
  broken(): void {
    throw new Error('broken handler');
  }

  @Event('meter.audit.>')
  audit(): void {}

  @Event('meter.events.stored', { durable: 'stored', maxDeliver: 2, backoffMs: [50] })
  stored(): void {
    throw new Error('broken durable handler');
  }
}

@Controller()
class GuardedController {
  @Rpc()
  secret() {
    return 'secret';
  }
}

/**
 * A NATS-only service with MetricsModule's own /metrics: every failure the issue names, forced
 * against the shared NATS, then counted from a scrape over HTTP.
 */
describe('Transport metrics of a NATS-only service', () => {
  let fixture: ServiceWithRaw;
  let url: string;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    fixture = await startServiceWithRaw({
      nats: { service: 'meter', requestTimeoutMs: 2000 },
      durable: true,
      imports: [MetricsModule.forRoot({ service: 'meter', port: 0 }), AuthModule.forRoot(AUTH)],
      controllers: [FailingController, GuardedController],
      logger: false,
    });
    url = fixture.service.app.get(MetricsEndpoint).url!;
  });

  afterAll(async () => {
    await fixture?.close();
    jest.restoreAllMocks();
  });

  it('serves /metrics on the loopback address of its own port', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });

  it('counts calls by target and outcome: ok, no responders, timeout, unauthorized', async () => {
    const { client } = fixture.service;
    await client.call('meter', 'ok', { n: 1 });
    await expect(client.call('nobody', 'home')).rejects.toMatchObject({ code: 'NO_RESPONDERS' });
    await expect(client.call('meter', 'slow', {}, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'RPC_TIMEOUT' });
    await expect(client.call('meter', 'secret')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const samples = await scrape(url);
    expect(total(samples, 'cliffracer_calls_total', { service: 'meter', target: 'meter.ok', outcome: 'ok' })).toBe(1);
    expect(total(samples, 'cliffracer_calls_total', { target: 'nobody.home', outcome: 'NO_RESPONDERS' })).toBe(1);
    expect(total(samples, 'cliffracer_calls_total', { target: 'meter.slow', outcome: 'RPC_TIMEOUT' })).toBe(1);
    expect(total(samples, 'cliffracer_calls_total', { target: 'meter.secret', outcome: 'UNAUTHORIZED' })).toBe(1);
    expect(total(samples, 'cliffracer_call_duration_seconds_count', { target: 'meter.slow' })).toBe(1);
    // The timed-out call waited its 100 ms: it lands in a bucket above it, not below.
    expect(total(samples, 'cliffracer_call_duration_seconds_bucket', { target: 'meter.slow', le: '0.05' })).toBe(0);
  });

  it('counts the auth failure by transport and reason', async () => {
    const samples = await scrape(url);
    expect(total(samples, 'cliffracer_auth_failures_total', { service: 'meter', transport: 'rpc', reason: 'no token' })).toBe(1);
  });

  it('counts a malformed request as refused under its handler, not its subject', async () => {
    const reply = await fixture.raw.request(`${fixture.prefix}.meter.ok`, 'not json {', { timeout: 2000 });
    expect(reply.headers?.get('Nats-Service-Error-Code')).toBe('400');
    const samples = await scrape(url);
    expect(total(samples, 'cliffracer_refused_total', { kind: 'rpc', subject: 'meter.ok', code: 'BAD_PAYLOAD' })).toBe(1);
    expect(total(samples, 'cliffracer_handled_total', { kind: 'rpc', subject: 'meter.ok', outcome: 'failure' })).toBe(1);
  });

  it('counts a failed core event as a dead letter', async () => {
    await fixture.service.client.emit('meter.events.broken', { n: 1 });
    await waitUntil(async () => total(await scrape(url), 'cliffracer_dead_letters_total', { delivery: 'core' }) > 0, 10_000, 50);
    const samples = await scrape(url);
    expect(total(samples, 'cliffracer_dead_letters_total', { subject: 'meter.events.broken', delivery: 'core', code: 'INTERNAL' })).toBe(1);
  });

  it('counts a failed durable event once redelivered, then dead-lettered', async () => {
    await fixture.service.client.emit('meter.events.stored', { n: 1 }, { durable: true });
    await waitUntil(async () => total(await scrape(url), 'cliffracer_dead_letters_total', { delivery: 'durable' }) > 0, 15_000, 50);
    const samples = await scrape(url);
    expect(total(samples, 'cliffracer_redeliveries_total', { subject: 'meter.events.stored', code: 'INTERNAL' })).toBe(1);
    expect(total(samples, 'cliffracer_dead_letters_total', { subject: 'meter.events.stored', delivery: 'durable', code: 'INTERNAL' })).toBe(1);
  });

  it('counts a message whose headers cannot be read as refused, and its event as dead-lettered', async () => {
    await using raw = await RawNatsSocket.open(fixture.nats.url);
    raw.hpub(`${fixture.prefix}.meter.audit.x`, undefined, 'NATS/1.0\r\nBad Name: 1\r\n\r\n', '{"n":1}');
    await raw.ping();
    await waitUntil(async () => total(await scrape(url), 'cliffracer_dead_letters_total', { subject: 'meter.audit.>' }) === 1, 10_000, 50);
    const samples = await scrape(url);
    expect(total(samples, 'cliffracer_refused_total', { kind: 'event', subject: 'meter.audit.>', code: 'BAD_PAYLOAD' })).toBe(1);
    expect(total(samples, 'cliffracer_dead_letters_total', { subject: 'meter.audit.>', delivery: 'core', code: 'BAD_PAYLOAD' })).toBe(1);
  });

  it('labels a flood on a wildcard route by the pattern, never by the subjects the publisher chose', async () => {
    for (let i = 0; i < 200; i++) fixture.raw.publish(`${fixture.prefix}.meter.audit.hostile-${i}`, `junk ${i}`);
    await waitUntil(async () => total(await scrape(url), 'cliffracer_refused_total', { subject: 'meter.audit.>' }) === 201, 10_000, 50);
    const samples = await scrape(url);
    const subjects = new Set(samples.filter((sample) => sample.name.startsWith('cliffracer_') && sample.labels.subject !== undefined).map((sample) => sample.labels.subject));
    const declared = ['meter.audit.>', 'meter.events.broken', 'meter.events.stored', 'meter.ok', 'meter.secret', 'meter.slow'];
    expect([...subjects].filter((subject) => !declared.includes(subject!))).toEqual([]);
    expect(total(samples, 'cliffracer_handled_total', { kind: 'event', subject: 'meter.audit.>', outcome: 'failure' })).toBe(200);
  });
});

describe('Reconnect metrics', () => {
  it('counts the disconnect and reconnect of the server and the client when their NATS restarts', async () => {
    await using nats = await NatsServerProcess.start({ jetstream: false });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let service: TestApp | undefined;
    try {
      service = await createTestApp({
        nats: { service: 'bouncer', servers: nats.url, subjectPrefix: 'reconnect' },
        imports: [MetricsModule.forRoot({ service: 'bouncer', port: 0 })],
        logger: false,
      });
      await service.client.connect();
      const url = service.app.get(MetricsEndpoint).url!;
      await nats.kill();
      await nats.restart();
      const reconnected = async (role: string) => total(await scrape(url), 'cliffracer_nats_reconnects_total', { service: 'bouncer', role }) === 1;
      await waitUntil(async () => (await reconnected('server')) && (await reconnected('client')), 20_000, 100);
      const samples = await scrape(url);
      expect(total(samples, 'cliffracer_nats_disconnects_total', { role: 'server' })).toBe(1);
      expect(total(samples, 'cliffracer_nats_disconnects_total', { role: 'client' })).toBe(1);
    } finally {
      await service?.close();
      jest.restoreAllMocks();
    }
  });
});
