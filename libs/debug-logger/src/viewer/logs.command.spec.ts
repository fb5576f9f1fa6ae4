import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLogsCommand } from './logs.command.js';

const entry = (category: string, seconds: number, fields: Record<string, unknown>) =>
  JSON.stringify({
    session_id: '20260101_120000',
    timestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString(),
    elapsed_seconds: seconds,
    level: 'info',
    category,
    msg: `${category}.entry`,
    service: 'orders',
    ...fields,
  });

class Sink {
  text = '';
  write(chunk: string) {
    this.text += chunk;
  }
  get lines() {
    return this.text.trim().split('\n').filter(Boolean);
  }
}

describe('runLogsCommand', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'logs-'));
    await writeFile(join(dir, '20250101_000000_rpc.jsonl'), `${entry('rpc', 0, { operation: 'old' })}\n`);
    await writeFile(
      join(dir, '20260101_120000_rpc.jsonl'),
      [
        entry('rpc', 1, { correlation_id: 'a', operation: 'orders.get', duration_ms: 2 }),
        entry('rpc', 3, { correlation_id: 'b', operation: 'orders.get', duration_ms: 8 }),
        entry('rpc', 5, { correlation_id: 'a', operation: 'orders.create', duration_ms: 20, success: false }),
        '{torn line',
      ].join('\n') + '\n',
    );
    await writeFile(join(dir, '20260101_120000_events.jsonl'), `${entry('events', 2, { correlation_id: 'a', operation: 'orders.created' })}\n`);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (...args: string[]) => {
    const sink = new Sink();
    await runLogsCommand(['--dir', dir, ...args], sink, undefined, {});
    return sink;
  };

  it('prints the latest session, every category merged in time order', async () => {
    const { lines } = await run();
    expect(lines.map((l) => l.match(/orders\.\w+|old/)?.[0])).toEqual(['orders.get', 'orders.created', 'orders.get', 'orders.create']);
  });

  it('keeps one category', async () => {
    expect((await run('--category', 'events')).lines).toHaveLength(1);
  });

  it('keeps one correlation ID across categories', async () => {
    const { lines } = await run('--correlation', 'a', '--json');
    expect(lines.map((l) => JSON.parse(l).operation)).toEqual(['orders.get', 'orders.created', 'orders.create']);
  });

  it('prints the raw lines with --json', async () => {
    const { lines } = await run('--category', 'events', '--json');
    expect(JSON.parse(lines[0])).toMatchObject({ category: 'events', correlation_id: 'a' });
  });

  it('reads an older session by its ID', async () => {
    expect((await run('--session', '20250101_000000')).lines[0]).toContain('old');
  });

  it('keeps only entries since a moment', async () => {
    expect((await run('--since', '2026-01-01T12:00:03Z', '--json')).lines).toHaveLength(2);
  });

  it('summarizes counts, failures and p50/p99 per category and operation', async () => {
    const { lines } = await run('--summary');
    expect(lines[0]).toMatch(/category\s+operation\s+entry\s+count\s+failures\s+p50 ms\s+p99 ms/);
    expect(lines.find((l) => l.includes('orders.get'))).toMatch(/rpc\s+orders\.get\s+rpc\.entry\s+2\s+0\s+2\.00\s+8\.00/);
    expect(lines.find((l) => l.includes('orders.create '))).toMatch(/1\s+1\s+20\.00\s+20\.00/);
  });

  it('counts in a timings.sampled row the entries sampling left out', async () => {
    await appendFile(
      join(dir, '20260101_120000_rpc.jsonl'),
      [
        entry('rpc', 6, { msg: 'timings.sampled', skipped: 1200, written: 1000, window_ms: 1000, skipped_mean_ms: 0.1, skipped_max_ms: 0.5 }),
        entry('rpc', 7, { msg: 'timings.sampled', skipped: 300, written: 1000, window_ms: 1000, skipped_mean_ms: 0.1, skipped_max_ms: 0.4 }),
      ].join('\n') + '\n',
    );
    const row = (await run('--summary')).lines.find((l) => l.includes('timings.sampled'));
    expect(row).toMatch(/rpc\s+timings\.sampled\s+timings\.sampled\s+1500\s+0\s+-\s+-/);
  });

  it("keeps the caller's and the handler's side of a call in rows of their own", async () => {
    await appendFile(
      join(dir, '20260101_120000_rpc.jsonl'),
      [
        entry('rpc', 6, { msg: 'rpc.call', service: 'gateway', operation: 'orders.pay', duration_ms: 30 }),
        entry('rpc', 6, { msg: 'rpc.handled', operation: 'orders.pay', duration_ms: 25 }),
      ].join('\n') + '\n',
    );
    const rows = (await run('--summary')).lines.filter((l) => l.includes('orders.pay'));
    expect(rows).toHaveLength(2);
    expect(rows.find((l) => l.includes('rpc.call'))).toMatch(/1\s+0\s+30\.00\s+30\.00/);
    expect(rows.find((l) => l.includes('rpc.handled'))).toMatch(/1\s+0\s+25\.00\s+25\.00/);
  });

  it('lists the sessions', async () => {
    expect((await run('--sessions')).lines).toEqual(['20250101_000000  rpc', '20260101_120000  events, rpc']);
  });

  it('keeps printing new entries with --follow until stopped', async () => {
    const sink = new Sink();
    const controller = new AbortController();
    const done = runLogsCommand(['--dir', dir, '--category', 'rpc', '--follow', '--json', '--correlation', 'a'], sink, controller.signal, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await appendFile(join(dir, '20260101_120000_rpc.jsonl'), `${entry('rpc', 9, { correlation_id: 'a', operation: 'orders.pay' })}\n`);
    await appendFile(join(dir, '20260101_120000_rpc.jsonl'), `${entry('rpc', 9, { correlation_id: 'z', operation: 'other' })}\n`);
    while (!sink.text.includes('orders.pay')) await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await done;
    expect(sink.lines.map((l) => JSON.parse(l).operation)).toEqual(['orders.get', 'orders.create', 'orders.pay']);
  });

  it('prints new entries of several categories in time order, also when an earlier one arrives later', async () => {
    const sink = new Sink();
    const controller = new AbortController();
    const done = runLogsCommand(['--dir', dir, '--follow', '--json', '--since', '1s'], sink, controller.signal, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    const at = (ms: number) => ({ timestamp: new Date(Date.now() + ms).toISOString() });
    // The events file comes first: it gets the later entries, in the same look and in the next.
    await appendFile(join(dir, '20260101_120000_events.jsonl'), `${entry('events', 0, { ...at(20), operation: 'second' })}\n`);
    await appendFile(join(dir, '20260101_120000_rpc.jsonl'), `${entry('rpc', 0, { ...at(0), operation: 'first' })}\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await appendFile(join(dir, '20260101_120000_events.jsonl'), `${entry('events', 0, { ...at(100), operation: 'fourth' })}\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await appendFile(join(dir, '20260101_120000_rpc.jsonl'), `${entry('rpc', 0, { ...at(-250), operation: 'third' })}\n`);
    while (!sink.text.includes('fourth')) await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await done;
    expect(sink.lines.map((l) => JSON.parse(l).operation)).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('says which categories the session does not have, rather than printing nothing', async () => {
    await expect(run('--category', 'rpc,evnts')).rejects.toThrow('no category evnts in session 20260101_120000; it has events, rpc');
    await expect(run('--category', 'timers')).rejects.toThrow('no category timers in session 20260101_120000');
  });

  it('waits with --follow for a framework category the session has not written yet', async () => {
    const sink = new Sink();
    const controller = new AbortController();
    const done = runLogsCommand(['--dir', dir, '--category', 'timers', '--follow', '--json'], sink, controller.signal, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await appendFile(join(dir, '20260101_120000_timers.jsonl'), `${entry('timers', 9, { operation: 'sweep' })}\n`);
    while (!sink.text.includes('sweep')) await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await done;
    expect(sink.lines.map((l) => JSON.parse(l).operation)).toEqual(['sweep']);
  });

  it('fails clearly on a missing session and on a bad --since', async () => {
    await expect(run('--session', '20000101_000000')).rejects.toThrow('no debug log session 20000101_000000');
    await expect(run('--since', 'yesterday-ish')).rejects.toThrow('--since takes a duration');
  });
});
