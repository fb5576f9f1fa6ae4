import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CorrelationContext } from '@cliffracer/correlation';
import { DebugLoggerModule } from '@cliffracer/debug-logger';
import { Event, NatsClient, Rpc } from '@cliffracer/nats-transport';
import { createTestApp, ensureNats, NatsServerProcess, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Timer, TimersModule } from '@cliffracer/timers';
import { Controller, Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Entry = Record<string, unknown> & { msg: string; service: string; operation?: string; correlation_id?: string };

@Controller()
class FrontController {
  readonly done: string[] = [];
  constructor(private readonly client: NatsClient) {}

  @Rpc()
  place(@Payload() order: { id: string }) {
    return this.client.call('back', 'work', order);
  }

  @Event('back.events.done')
  onDone(@Payload() order: { id: string }) {
    this.done.push(order.id);
  }
}

@Controller()
class BackController {
  constructor(private readonly client: NatsClient) {}

  @Rpc()
  async work(@Payload() order: { id: string; password?: string }) {
    await this.client.emit('back.events.done', { id: order.id });
    return { ok: true };
  }

  @Rpc('slow', { timeoutMs: 200 })
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 130));
    return 'late';
  }
}

@Injectable()
class Sweeper {
  runs = 0;

  @Timer(50, { eager: true })
  sweep() {
    this.runs += 1;
  }
}

async function readDir(dir: string): Promise<Map<string, Entry[]>> {
  const files = new Map<string, Entry[]>();
  for (const name of await readdir(dir)) {
    const category = name.replace(/^\d{8}_\d{6}_/, '').replace(/\.jsonl$/, '');
    const text = await readFile(join(dir, name), 'utf8');
    files.set(category, [...(files.get(category) ?? []), ...text.trim().split('\n').map((l) => JSON.parse(l) as Entry)]);
  }
  return files;
}

describe('debug logger in running services', () => {
  let dir: string;
  let logs: Map<string, Entry[]>;
  const cid = 'order-flow-0001';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'debug-e2e-'));
    const nats = await ensureNats();
    const subjectPrefix = uniquePrefix();
    const app = (service: string, extra: Partial<Parameters<typeof createTestApp>[0]>) =>
      createTestApp({
        nats: { service, servers: nats.url, subjectPrefix },
        logger: false,
        ...extra,
        imports: [DebugLoggerModule.forRoot({ enabled: true, dir, service, flushIntervalMs: 20 }), ...(extra.imports ?? [])],
      });
    const back = await app('back', { controllers: [BackController] });
    const front = await app('front', { controllers: [FrontController], imports: [TimersModule.forRoot({ service: 'front' })], providers: [Sweeper] });
    await CorrelationContext.run(cid, () => front.client.call('front', 'place', { id: 'o-1', password: 'hunter2' }));
    await front.client.call('back', 'slow');
    await waitUntil(() => front.app.get(FrontController).done.length === 1 && front.app.get(Sweeper).runs >= 2);
    await front.close();
    await back.close();
    logs = await readDir(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one file per category of the session', () => {
    expect([...logs.keys()].sort()).toEqual(['events', 'rpc', 'session', 'stress', 'timers']);
  });

  it('times every handler and call of a request chain under one correlation ID, in both services', () => {
    const chain = logs.get('rpc')!.filter((e) => e.correlation_id === cid).map((e) => `${e.service} ${e.msg} ${e.operation}`);
    expect(chain.sort()).toEqual(['back rpc.handled back.work', 'front rpc.call back.work', 'front rpc.call front.place', 'front rpc.handled front.place']);
    const event = logs.get('events')!.find((e) => e.operation === 'back.events.done')!;
    expect(event).toMatchObject({ service: 'front', msg: 'event.handled', correlation_id: cid, success: true });
    expect(typeof event.duration_ms).toBe('number');
  });

  it('gives every entry the session fields', () => {
    for (const entries of logs.values()) {
      for (const entry of entries) {
        expect(entry.session_id).toMatch(/^\d{8}_\d{6}$/);
        expect(Date.parse(entry.timestamp as string)).not.toBeNaN();
        expect(typeof entry.elapsed_seconds).toBe('number');
      }
    }
  });

  it('logs each timer run with its own correlation ID', () => {
    const runs = logs.get('timers')!.filter((e) => e.operation === 'Sweeper.sweep');
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runs.map((e) => e.correlation_id)).size).toBe(runs.length);
  });

  it('writes a stress entry for a handler slower than half its timeout', () => {
    const slow = logs.get('stress')!.find((e) => e.msg === 'slow_handler' && e.operation === 'back.slow');
    expect(slow).toMatchObject({ severity: 'warning', timeout_ms: 200, service: 'back' });
  });

  it('marks the session start and end', () => {
    expect(logs.get('session')!.map((e) => `${e.service} ${e.msg}`).sort()).toEqual(['back session.end', 'back session.start', 'front session.end', 'front session.start']);
  });

  it('never writes the payload secrets', async () => {
    const all = JSON.stringify([...logs.values()]);
    expect(all).not.toContain('hunter2');
  });
});

describe('debug logger on a lost NATS connection', () => {
  it('writes a critical stress entry when the connection drops', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'debug-e2e-'));
    const nats = await NatsServerProcess.start({ jetstream: false });
    const service = await createTestApp({
      nats: { service: 'fragile', servers: nats.url, subjectPrefix: uniquePrefix() },
      imports: [DebugLoggerModule.forRoot({ enabled: true, dir, service: 'fragile', flushIntervalMs: 20 })],
      logger: false,
    });
    try {
      await nats.kill();
      const stressed = async () => {
        const files = await readDir(dir);
        return (files.get('stress') ?? []).some((e) => e.msg === 'nats_disconnected' && e.severity === 'critical');
      };
      let seen = false;
      await waitUntil(async () => (seen = await stressed()));
      expect(seen).toBe(true);
      await nats.restart();
    } finally {
      await service.close();
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('debug logger paused at run time', () => {
  it('times no handler while paused, and times them again once resumed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'debug-e2e-'));
    const nats = await ensureNats();
    const back = await createTestApp({
      nats: { service: 'back', servers: nats.url, subjectPrefix: uniquePrefix() },
      imports: [DebugLoggerModule.forRoot({ enabled: true, dir, service: 'back' })],
      controllers: [BackController],
      logger: false,
    });
    try {
      const debug = back.app.get(DebugLoggerModule);
      debug.setInstrumented(false);
      expect(debug.instrumented).toBe(false);
      await CorrelationContext.run('while-paused', () => back.client.call('back', 'work', { id: 'paused' }));
      debug.setInstrumented(true);
      await CorrelationContext.run('after-resume', () => back.client.call('back', 'work', { id: 'resumed' }));
      await back.close();
      const handled = ((await readDir(dir)).get('rpc') ?? []).filter((e) => e.msg === 'rpc.handled');
      expect(handled.map((e) => e.correlation_id)).toEqual(['after-resume']);
    } finally {
      await back.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
