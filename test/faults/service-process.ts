import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transformFile } from '@swc/core';
import { waitUntil } from '@cliffracer/testing';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = join(ROOT, 'test/faults/fixtures/ledger-service.ts');
const BUILT = join(ROOT, 'dist/test/faults/fixtures/ledger-service.js');
const ALIAS = /(from\s+|import\s+)(["'])@cliffracer\/([a-z0-9-]+)\2/g;

/**
 * Builds dist/ when a source changed, then compiles the ledger service beside it with the
 * same swc options, its `@cliffracer/*` imports pointed into dist/ (as test/lifecycle does).
 */
export async function buildLedgerService(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale', '--quiet'], { cwd: ROOT });
  const swcOptions = createRequire(import.meta.url)('../../scripts/swc-options.cjs') as object;
  const { code } = await transformFile(FIXTURE, { ...swcOptions, filename: FIXTURE });
  await mkdir(dirname(BUILT), { recursive: true });
  await writeFile(BUILT, code.replace(ALIAS, (_match, lead: string, quote: string, lib: string) => {
    const target = relative(dirname(BUILT), join(ROOT, 'dist/libs', lib, 'src/index.js')).split(sep).join('/');
    return `${lead}${quote}${target}${quote}`;
  }));
}

/** The ledger service as a child process, its output kept line by line. */
export class LedgerServiceProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop()!;
        this.lines.push(...parts);
      });
      stream.on('end', () => {
        if (rest !== '') this.lines.push(rest);
      });
    }
    this.exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  /** Starts the built service with `env` on top of a quiet, self-contained environment; resolves once it is ready. */
  static async start(env: Record<string, string>): Promise<LedgerServiceProcess> {
    const { BACKDOOR_TOKEN: _token, DATABASE_URL: _db, ...inherited } = process.env;
    const child = spawn(process.execPath, [BUILT], {
      cwd: ROOT,
      env: { ...inherited, NO_COLOR: '1', PORT: '0', DATA_DIR: 'memory', DEBUG_MODE: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new LedgerServiceProcess(child);
    await waitUntil(() => service.lines.some((line) => / ready: HTTP/.test(line)) || !service.running, 30_000, 20);
    if (!service.running) throw new Error(`the ledger service exited at start:\n${service.lines.join('\n')}`);
    return service;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Ids of the requests whose side effect this process logged, once per log line. */
  effects(): string[] {
    return this.lines.flatMap((line) => /\[Ledger\] (?:\[cid=[^\]]*\] )?effect (\S+)/.exec(line)?.[1] ?? []);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** The output's last non-empty line. */
  lastLine(): string {
    return this.lines.filter((line) => line.trim() !== '').at(-1) ?? '';
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }
}
