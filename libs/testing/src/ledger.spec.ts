import { describe, expect, it } from '@jest/globals';
import { CliffracerError } from '@cliffracer/common';
import { RemoteError, RpcTimeoutError, TransportError } from '@cliffracer/nats-transport';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSummary, Ledger } from './ledger.js';

describe('Ledger', () => {
  describe('violations', () => {
    it('lists nothing when every request has one typed, allowed outcome and effects at most once', async () => {
      const ledger = new Ledger('clean', { allowedErrors: ['TransportError'], effectOnOk: true });
      await ledger.track('a', async () => ledger.effect('a'));
      await ledger.track('b', () => Promise.reject(new TransportError('not connected to NATS')));
      expect(ledger.violations()).toEqual([]);
      expect(ledger.summary()).toMatchObject({ requests: 2, ok: 1, errors: { TransportError: 1 }, lost: 0, doubled: 0 });
    });

    it('lists a request without an outcome as lost', () => {
      const ledger = new Ledger('lost');
      ledger.sent('a');
      expect(ledger.violations()).toEqual(['no outcome: 1 (a)']);
      expect(ledger.summary().lost).toBe(1);
    });

    it('lists a request with two outcomes', () => {
      const ledger = new Ledger('twice');
      ledger.sent('a');
      ledger.ok('a');
      ledger.ok('a');
      expect(ledger.violations()).toEqual(['more than one outcome: 1 (a)']);
    });

    it('lists a side effect done twice, and one of a request never sent', () => {
      const ledger = new Ledger('doubled');
      ledger.sent('a');
      ledger.ok('a');
      ledger.effect('a');
      ledger.effect('a');
      ledger.effect('ghost');
      expect(ledger.violations()).toEqual(['side effect more than once: 1 (a)', 'side effect of a request never sent: 1 (ghost)']);
      expect(ledger.summary()).toMatchObject({ doubled: 1, strays: 1 });
    });

    it('lists a reply without its side effect when effects are required', async () => {
      const ledger = new Ledger('effectless', { effectOnOk: true });
      await ledger.track('a', async () => undefined);
      expect(ledger.violations()).toEqual(['reply without its side effect: 1 (a)']);
    });

    it('lists a bare Error and an INTERNAL remote error as untyped, a typed one outside the allowed set as not allowed', async () => {
      const ledger = new Ledger('untyped', { allowedErrors: ['TransportError'] });
      await ledger.track('a', () => Promise.reject(new Error('boom')));
      await ledger.track('b', () => Promise.reject(new RemoteError('TypeError', 'internal error', 'INTERNAL', 's.m')));
      await ledger.track('c', () => Promise.reject(new RpcTimeoutError('s.m', 5000)));
      await ledger.track('d', () => Promise.reject(new RemoteError('OutOfStockError', 'out of stock', 'OUT_OF_STOCK', 's.m')));
      expect(ledger.violations()).toEqual([
        'untyped error Error: 1 (a)',
        'untyped error RemoteError(TypeError): 1 (b)',
        'error not allowed here: RpcTimeoutError: 1 (c)',
        'error not allowed here: RemoteError(OutOfStockError): 1 (d)',
      ]);
    });

    it('lists an error slower than fastErrorMs', async () => {
      const ledger = new Ledger('slow', { allowedErrors: ['CliffracerError'], fastErrorMs: 10 });
      await ledger.track('a', () => new Promise((_, reject) => setTimeout(() => reject(new CliffracerError('late')), 40)));
      expect(ledger.violations()).toEqual(['error slower than 10ms: 1 (a)']);
    });

    it('lists a durable consumer left with work', () => {
      const ledger = new Ledger('backlog');
      ledger.pending({ numPending: 2, numAckPending: 1 });
      expect(ledger.violations()).toEqual(['durable consumer not drained: 2 pending, 1 awaiting ack']);
    });
  });

  it('counts requests sent and not settled as in flight', () => {
    const ledger = new Ledger('flight');
    ledger.sent('a');
    ledger.sent('b');
    ledger.ok('a');
    expect([ledger.settled, ledger.inFlight]).toEqual([1, 1]);
  });

  it('refuses an id sent twice', () => {
    const ledger = new Ledger('ids');
    ledger.sent('a');
    expect(() => ledger.sent('a')).toThrow('request a was already sent in ids');
  });

  describe('report', () => {
    it('prints one line and writes the summary as JSON under reportDir', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ledger-'));
      try {
        const ledger = new Ledger('figures', { allowedErrors: ['TransportError'], reportDir: dir });
        await ledger.track('a', async () => undefined);
        await ledger.track('b', () => Promise.reject(new TransportError('down')));
        ledger.pending({ numPending: 0, numAckPending: 0 });
        ledger.note('restarts', 1);
        const summary = ledger.report();
        expect(formatSummary(summary)).toBe('ledger figures: 2 requests, 1 ok, 1 TransportError, 0 lost, 0 doubled, pending 0, restarts 1');
        expect(JSON.parse(await readFile(join(dir, 'figures.json'), 'utf8'))).toEqual(summary);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
