import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { CliffracerError } from '@cliffracer/common';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import { NatsServer } from './nats.server.js';
import { installProcessGuards, type ProcessGuards } from './process-guards.js';

const SIGNAL = 'SIGUSR2';

interface Line {
  level: 'log' | 'warn' | 'error';
  message: string;
  stack?: unknown;
}

function recordingLogger(): LoggerService & { lines: Line[] } {
  const lines: Line[] = [];
  return {
    lines,
    log: (message: string) => lines.push({ level: 'log', message }),
    warn: (message: string) => lines.push({ level: 'warn', message }),
    error: (message: string, stack?: unknown) => lines.push({ level: 'error', message, stack }),
  };
}

/** An app whose `close()` is the I/O edge; it records what ran in which order. */
function fakeApp(close: () => Promise<void>, steps: string[]): INestApplicationContext {
  return {
    close: async () => {
      steps.push('app.close');
      await close();
    },
  } as unknown as INestApplicationContext;
}

function serverRecording(steps: string[]): NatsServer {
  const server = new NatsServer({ service: 'orders' });
  const close = server.close.bind(server);
  jest.spyOn(server, 'close').mockImplementation(async () => {
    steps.push('server.close');
    await close();
  });
  return server;
}

describe('installProcessGuards', () => {
  let guards: ProcessGuards | undefined;

  afterEach(() => {
    guards?.uninstall();
    jest.useRealTimers();
  });

  function install(app: INestApplicationContext, servers: NatsServer[], extra: { shutdownTimeoutMs?: number } = {}) {
    const logger = recordingLogger();
    const exit = jest.fn<(code: number) => void>();
    guards = installProcessGuards(app, { logger, servers, signals: [SIGNAL], exit, ...extra });
    return { logger, exit };
  }

  describe('on a signal', () => {
    it('closes the NATS servers before the app, then exits 0 with "shutdown complete" last', async () => {
      const steps: string[] = [];
      const { logger, exit } = install(fakeApp(async () => undefined, steps), [serverRecording(steps)]);

      process.emit(SIGNAL, SIGNAL);
      await guards!.shutdown('ignored');

      expect(steps).toEqual(['server.close', 'app.close']);
      expect(exit).toHaveBeenCalledWith(0);
      expect(logger.lines.map((line) => line.message)).toEqual([`shutting down (${SIGNAL})`, 'shutdown complete']);
    });

    it('starts one shutdown only when the signal comes again', async () => {
      const steps: string[] = [];
      const { logger, exit } = install(fakeApp(async () => undefined, steps), [serverRecording(steps)]);

      process.emit(SIGNAL, SIGNAL);
      process.emit(SIGNAL, SIGNAL);
      await guards!.shutdown('ignored');

      expect(steps).toEqual(['server.close', 'app.close']);
      expect(exit).toHaveBeenCalledTimes(1);
      expect(logger.lines).toContainEqual({ level: 'warn', message: `${SIGNAL} received while shutting down; still waiting for in-flight work` });
    });

    it('logs each handler still running after the server closed by subject and correlation ID, and exits 1', async () => {
      const server = new NatsServer({ service: 'orders' });
      server.inFlight.begin('orders.pay', 'cid-7');
      const { logger, exit } = install(fakeApp(async () => undefined, []), [server]);

      await guards!.shutdown(SIGNAL);

      expect(logger.lines).toContainEqual({
        level: 'warn',
        message: expect.stringMatching(/^handler still running at the grace deadline: orders\.pay \(correlation cid-7, running \d+ms\)$/),
      });
      expect(logger.lines.at(-1)?.message).toBe('shutdown complete, 1 handler(s) cut off at the grace deadline');
      expect(exit).toHaveBeenCalledWith(1);
    });

    it('exits 1 when closing the app fails', async () => {
      const { logger, exit } = install(fakeApp(() => Promise.reject(new Error('pool busy')), []), []);

      await guards!.shutdown(SIGNAL);

      expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'shutdown failed: Error: pool busy' }));
      expect(exit).toHaveBeenCalledWith(1);
    });

    it('exits 1 when the shutdown does not finish within shutdownTimeoutMs', async () => {
      jest.useFakeTimers();
      const { logger, exit } = install(fakeApp(() => new Promise(() => undefined), []), [], { shutdownTimeoutMs: 1000 });

      void guards!.shutdown(SIGNAL);
      await jest.advanceTimersByTimeAsync(999);
      expect(exit).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);

      expect(exit).toHaveBeenCalledWith(1);
      expect(logger.lines.at(-1)).toEqual({ level: 'error', message: 'shutdown did not finish within 1000ms; exiting', stack: undefined });
    });
  });

  describe('on a fault outside a handler', () => {
    it('logs it with the handlers in flight and its stack, shuts down, and exits 1', async () => {
      const server = new NatsServer({ service: 'orders' });
      const running = server.inFlight.begin('orders.pay', 'cid-8');
      const { logger, exit } = install(fakeApp(async () => undefined, []), [server]);
      const boom = new Error('boom');

      process.emit('unhandledRejection', boom, Promise.resolve());
      server.inFlight.end(running);
      await guards!.shutdown('ignored');

      expect(logger.lines[0]).toEqual({ level: 'error', message: 'unhandled rejection outside a handler, shutting down with 1 handler(s) in flight: Error: boom', stack: boom.stack });
      expect(logger.lines.at(-1)?.message).toBe('shutdown complete');
      expect(exit).toHaveBeenCalledWith(1);
    });

    it('exits 1 after a signal shutdown that a fault interrupted', async () => {
      let finishClose: (() => void) | undefined;
      const { logger, exit } = install(fakeApp(() => new Promise<void>((resolve) => (finishClose = resolve)), []), []);

      process.emit(SIGNAL, SIGNAL);
      await new Promise((resolve) => setImmediate(resolve));
      process.emit('unhandledRejection', new Error('kaboom'), Promise.resolve());
      finishClose!();
      await guards!.shutdown('ignored');

      expect(logger.lines).toContainEqual(expect.objectContaining({ message: 'unhandled rejection outside a handler, while shutting down with 0 handler(s) in flight: Error: kaboom' }));
      expect(exit).toHaveBeenCalledTimes(1);
      expect(exit).toHaveBeenCalledWith(1);
    });
  });

  describe('abortStart', () => {
    it('logs a framework error in one line without its stack, closes the app and exits 1', async () => {
      const steps: string[] = [];
      const { logger, exit } = install(fakeApp(async () => undefined, steps), []);

      await guards!.abortStart(new CliffracerError('NATS not reachable at nats://x:4222 after 3 attempt(s) in 900ms', { code: 'NATS_UNREACHABLE' }));

      expect(logger.lines).toEqual([{ level: 'error', message: 'could not start: NATS not reachable at nats://x:4222 after 3 attempt(s) in 900ms', stack: undefined }]);
      expect(steps).toEqual(['app.close']);
      expect(exit).toHaveBeenCalledWith(1);
    });

    it('keeps the stack of any other error: it is a bug', async () => {
      const { logger } = install(fakeApp(async () => undefined, []), []);
      const bug = new TypeError('undefined is not a function');

      await guards!.abortStart(bug);

      expect(logger.lines[0]).toEqual({ level: 'error', message: 'could not start: TypeError: undefined is not a function', stack: bug.stack });
    });
  });

  describe('uninstall', () => {
    it('removes every process listener it added', () => {
      const counts = () => [SIGNAL, 'uncaughtException', 'unhandledRejection'].map((event) => process.listenerCount(event));
      const before = counts();
      install(fakeApp(async () => undefined, []), []);
      expect(counts()).toEqual(before.map((count) => count + 1));

      guards!.uninstall();

      expect(counts()).toEqual(before);
    });
  });
});
