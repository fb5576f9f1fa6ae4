import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Timer } from './decorators/timer.decorator.js';
import { DuplicateTimerError } from './errors/duplicate-timer.error.js';
import { TimersModule } from './timers.module.js';
import { TimersRegistry } from './timers.registry.js';

@Injectable()
class Heartbeat {
  beats = 0;

  @Timer(1000, { eager: true })
  beat(): void {
    this.beats += 1;
  }
}

@Injectable()
class Twin {
  @Timer('Heartbeat.beat', 1000)
  beat(): void {}
}

async function boot(providers: Array<typeof Heartbeat | typeof Twin>, enabled = true, intervals?: Record<string, number>): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({
    imports: [TimersModule.forRoot({ enabled, intervals })],
    providers,
  }).compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}

describe('TimersModule', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('finds @Timer methods of providers and runs them from bootstrap', async () => {
    const app = await boot([Heartbeat]);
    await jest.advanceTimersByTimeAsync(2500);
    expect(app.get(Heartbeat).beats).toBe(3);
    expect(app.get(TimersRegistry).list()).toEqual([{ name: 'Heartbeat.beat', intervalMs: 1000, eager: true, running: false }]);
    await app.close();
  });

  it('stops every timer on shutdown', async () => {
    const app = await boot([Heartbeat]);
    const heartbeat = app.get(Heartbeat);
    await app.close();
    await jest.advanceTimersByTimeAsync(5000);
    expect(heartbeat.beats).toBe(1);
  });

  it('registers without running when disabled', async () => {
    const app = await boot([Heartbeat], false);
    await jest.advanceTimersByTimeAsync(5000);
    expect(app.get(Heartbeat).beats).toBe(0);
    await app.close();
  });

  it('runs a timer at the interval configured for its name instead of the declared one', async () => {
    const app = await boot([Heartbeat], true, { 'Heartbeat.beat': 200 });
    await jest.advanceTimersByTimeAsync(1100);
    expect(app.get(Heartbeat).beats).toBe(6);
    expect(app.get(TimersRegistry).list()).toEqual([{ name: 'Heartbeat.beat', intervalMs: 200, eager: true, running: false }]);
    await app.close();
  });

  it('refuses an interval that is not a positive whole number at boot', async () => {
    await expect(boot([Heartbeat], true, { 'Heartbeat.beat': 0 })).rejects.toThrow('intervals.Heartbeat.beat must be a positive whole number of milliseconds, got 0');
  });

  it('refuses two timers with one name at init', async () => {
    await expect(boot([Heartbeat, Twin])).rejects.toThrow(DuplicateTimerError);
  });
});
