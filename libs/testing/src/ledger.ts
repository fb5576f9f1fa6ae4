import { CliffracerError } from '@cliffracer/common';
import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a fault scenario accepts, checked by `Ledger.violations()`. */
export interface LedgerOptions {
  /** Error names a request may end with; any other error is a violation. @default [] */
  allowedErrors?: string[];
  /** An error slower than this (ms) is a violation: the caller should have been told at once. @default no limit */
  fastErrorMs?: number;
  /** A request answered `ok` must show exactly one side effect (not only at most one). @default false */
  effectOnOk?: boolean;
  /** Folder of the JSON reports. @default `<os tmpdir>/cliffracer-faults` */
  reportDir?: string;
}

/** One request's record. */
interface Entry {
  outcomes: Array<{ kind: 'ok' } | { kind: 'error'; name: string; typed: boolean; ms: number }>;
  effects: number;
}

/** A durable consumer's backlog at the end of a scenario. */
export interface ConsumerBacklog {
  numPending: number;
  numAckPending: number;
}

/** The figures of one scenario, as printed and written to its JSON report. */
export interface LedgerSummary {
  scenario: string;
  requests: number;
  ok: number;
  errors: Record<string, number>;
  /** Requests with no outcome. */
  lost: number;
  /** Requests with more than one outcome. */
  twice: number;
  /** Requests whose side effect happened more than once. */
  doubled: number;
  /** Side effects of requests never sent. */
  strays: number;
  pending?: ConsumerBacklog;
  /** Figures the scenario adds (durations, dead letters, log lines). */
  extra: Record<string, number | string>;
  violations: string[];
}

/**
 * Accounting of a fault scenario: every request sent, its outcome (a reply, or an error by
 * name) and its side effects (rows, handler runs). `violations()` lists every request that
 * got no outcome or two, an error that is untyped, not allowed or slow, a side effect done
 * twice (or, with `effectOnOk`, a reply without one), and a durable backlog left behind.
 *
 * @example
 * const ledger = new Ledger('nats-restart', { allowedErrors: ['TransportError'] });
 * await ledger.track(id, () => client.call('echo', 'echo', { id }));
 * controller.onCall = (id) => ledger.effect(id);
 * expect(ledger.report().violations).toEqual([]);
 */
export class Ledger {
  private readonly entries = new Map<string, Entry>();
  private readonly strayEffects = new Map<string, number>();
  private backlog?: ConsumerBacklog;
  private readonly extras: Record<string, number | string> = {};

  constructor(
    readonly scenario: string,
    private readonly options: LedgerOptions = {},
  ) {}

  /** Records a request as sent; an id is sent once. */
  sent(id: string): void {
    if (this.entries.has(id)) throw new CliffracerError(`request ${id} was already sent in ${this.scenario}`, { code: 'LEDGER_DUPLICATE_ID' });
    this.entries.set(id, { outcomes: [], effects: 0 });
  }

  /** Records a reply. */
  ok(id: string): void {
    this.entry(id).outcomes.push({ kind: 'ok' });
  }

  /**
   * Records an error. Typed means a `CliffracerError` with a name of its own; a `RemoteError`
   * is listed under the remote name, and one coded `INTERNAL` (the handler threw something
   * untyped) is untyped.
   */
  failed(id: string, error: unknown, ms = 0): void {
    let typed = error instanceof CliffracerError && error.name !== 'Error';
    let name = error instanceof Error ? error.name : typeof error;
    if (error instanceof CliffracerError && 'remoteName' in error) {
      name = `RemoteError(${String(error.remoteName)})`;
      typed = error.code !== 'INTERNAL';
    }
    this.entry(id).outcomes.push({ kind: 'error', name, typed, ms });
  }

  /** Sends `id` and records how `work` settles; never rejects. */
  async track(id: string, work: () => PromiseLike<unknown>): Promise<void> {
    this.sent(id);
    const startedAt = performance.now();
    try {
      await work();
      this.ok(id);
    } catch (error) {
      this.failed(id, error, performance.now() - startedAt);
    }
  }

  /** Records a side effect of request `id` (a handler run, a row). */
  effect(id: string, count = 1): void {
    const entry = this.entries.get(id);
    if (entry === undefined) this.strayEffects.set(id, (this.strayEffects.get(id) ?? 0) + count);
    else entry.effects += count;
  }

  /** Records the durable consumer's backlog once the scenario is over. */
  pending(backlog: ConsumerBacklog): void {
    this.backlog = backlog;
  }

  /** Adds a figure to the summary (not checked). */
  note(key: string, value: number | string): void {
    this.extras[key] = value;
  }

  /** Outcomes recorded so far. */
  get settled(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.outcomes.length > 0) n += 1;
    return n;
  }

  /** Requests sent and not settled yet. */
  get inFlight(): number {
    return this.entries.size - this.settled;
  }

  /** Effects recorded for `id`. */
  effectsOf(id: string): number {
    return this.entries.get(id)?.effects ?? this.strayEffects.get(id) ?? 0;
  }

  /** Every broken rule, one line each (at most 20 listed per rule). */
  violations(): string[] {
    const found = new Map<string, string[]>();
    const add = (rule: string, id: string) => found.set(rule, [...(found.get(rule) ?? []), id]);
    const allowed = new Set(this.options.allowedErrors ?? []);
    for (const [id, { outcomes, effects }] of this.entries) {
      if (outcomes.length === 0) add('no outcome', id);
      if (outcomes.length > 1) add('more than one outcome', id);
      if (effects > 1) add('side effect more than once', id);
      for (const outcome of outcomes) {
        if (outcome.kind === 'ok') {
          if (this.options.effectOnOk && effects === 0) add('reply without its side effect', id);
          continue;
        }
        if (!outcome.typed) add(`untyped error ${outcome.name}`, id);
        else if (!allowed.has(outcome.name)) add(`error not allowed here: ${outcome.name}`, id);
        if (this.options.fastErrorMs !== undefined && outcome.ms > this.options.fastErrorMs) add(`error slower than ${this.options.fastErrorMs}ms`, id);
      }
    }
    for (const id of this.strayEffects.keys()) add('side effect of a request never sent', id);
    const lines = [...found].map(([rule, ids]) => `${rule}: ${ids.length} (${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''})`);
    if (this.backlog !== undefined && (this.backlog.numPending !== 0 || this.backlog.numAckPending !== 0)) {
      lines.push(`durable consumer not drained: ${this.backlog.numPending} pending, ${this.backlog.numAckPending} awaiting ack`);
    }
    return lines;
  }

  /** The scenario's figures and violations. */
  summary(): LedgerSummary {
    const errors: Record<string, number> = {};
    let ok = 0;
    let lost = 0;
    let twice = 0;
    let doubled = 0;
    for (const { outcomes, effects } of this.entries.values()) {
      if (outcomes.length === 0) lost += 1;
      if (outcomes.length > 1) twice += 1;
      if (effects > 1) doubled += 1;
      const first = outcomes[0];
      if (first?.kind === 'ok') ok += 1;
      else if (first !== undefined) errors[first.name] = (errors[first.name] ?? 0) + 1;
    }
    return {
      scenario: this.scenario,
      requests: this.entries.size,
      ok,
      errors,
      lost,
      twice,
      doubled,
      strays: this.strayEffects.size,
      ...(this.backlog && { pending: this.backlog }),
      extra: { ...this.extras },
      violations: this.violations(),
    };
  }

  /**
   * Prints the one-line summary (`ledger nats-restart: 2000 requests, 1874 ok, 126
   * TransportError, 0 lost, 0 doubled, pending 0`) and writes the summary as JSON to
   * `<reportDir>/<scenario>.json`; returns the summary.
   */
  report(): LedgerSummary {
    const summary = this.summary();
    const dir = this.options.reportDir ?? join(tmpdir(), 'cliffracer-faults');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${this.scenario}.json`);
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
    // Straight to fd 1: Jest's reporter buffers process.stdout and loses the tail on a forced exit.
    writeSync(1, `${formatSummary(summary)} -> ${file}\n`);
    return summary;
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (entry === undefined) throw new CliffracerError(`outcome of request ${id}, never sent, in ${this.scenario}`, { code: 'LEDGER_UNKNOWN_ID' });
    return entry;
  }
}

/** The summary as one line. */
export function formatSummary(s: LedgerSummary): string {
  const parts = [`${s.requests} requests`, `${s.ok} ok`];
  for (const [name, count] of Object.entries(s.errors).sort()) parts.push(`${count} ${name}`);
  parts.push(`${s.lost} lost`, `${s.doubled} doubled`);
  if (s.twice > 0) parts.push(`${s.twice} answered twice`);
  if (s.strays > 0) parts.push(`${s.strays} stray effects`);
  if (s.pending !== undefined) parts.push(`pending ${s.pending.numPending + s.pending.numAckPending}`);
  for (const [key, value] of Object.entries(s.extra)) parts.push(`${key} ${value}`);
  if (s.violations.length > 0) parts.push(`${s.violations.length} violation(s)`);
  return `ledger ${s.scenario}: ${parts.join(', ')}`;
}
