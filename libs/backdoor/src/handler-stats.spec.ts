import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type HandledReport, NATS_HANDLED_CHANNEL } from '@cliffracer/nats-transport';
import { channel } from 'node:diagnostics_channel';
import { HandlerStats } from './handler-stats.js';

const handled = channel(NATS_HANDLED_CHANNEL);

function report(subject: string, route: string, failed = false): HandledReport {
  return { kind: 'event', service: 'audit', subject, route, correlationId: 'c', durationMs: 1, finishedAt: 1, timeoutMs: 1000, failed };
}

describe('HandlerStats', () => {
  let stats: HandlerStats;

  beforeEach(() => {
    stats = new HandlerStats('audit');
    stats.start();
  });
  afterEach(() => stats.stop());

  describe('rows', () => {
    it('keeps one row per handler pattern, whatever subjects a wildcard received', () => {
      for (let i = 0; i < 1000; i++) handled.publish(report(`audit.random.${i}`, 'audit.>', i === 0));
      expect(stats.rows()).toEqual([expect.objectContaining({ subject: 'audit.>', kind: 'event', count: 1000, errors: 1 })]);
    });

    it('ignores reports of other services', () => {
      handled.publish({ ...report('x.y', 'x.y'), service: 'other' });
      expect(stats.rows()).toEqual([]);
    });
  });
});
