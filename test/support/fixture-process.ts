import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transformFile } from '@swc/core';
import { waitUntil } from '@cliffracer/testing';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** How a process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Builds the workspace packages when a source changed (as the deployment tests do), then
 * compiles the fixture service `source` (relative to the repository) into dist/ with the same
 * swc options; its `@cliffracer/*` imports resolve to the built packages through node_modules.
 * Returns the built file.
 */
export async function buildFixture(source: string): Promise<string> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale', '--quiet'], { cwd: ROOT });
  const swcOptions = createRequire(import.meta.url)('../../scripts/swc-options.cjs') as object;
  const file = join(ROOT, source);
  const built = join(ROOT, 'dist', relative(ROOT, file)).replace(/\.ts$/, '.js');
  const { code } = await transformFile(file, { ...swcOptions, filename: file });
  await mkdir(dirname(built), { recursive: true });
  await writeFile(built, code);
  return built;
}

/** Appends a child's output to `lines`, line by line (stdout and stderr in arrival order). */
export function collectLines(child: ChildProcess, lines: string[]): void {
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      lines.push(...parts);
    });
    stream.on('end', () => {
      if (rest !== '') lines.push(rest);
    });
  }
}

/** A built fixture service as a child process, its output kept line by line (stdout and stderr in arrival order). */
export class FixtureProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<Exit>;

  protected constructor(private readonly child: ChildProcess) {
    collectLines(child, this.lines);
    this.exited = once(child, 'close').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  }

  /**
   * Spawns `built` with `env` on top of a quiet, self-contained service environment (no
   * backdoor token, an embedded database in memory, no debug logs, any free HTTP port).
   */
  protected static spawnService(built: string, env: Record<string, string>, without: string[] = []): ChildProcess {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'BACKDOOR_TOKEN' && !without.includes(key)));
    return spawn(process.execPath, [built], {
      cwd: ROOT,
      env: { ...inherited, NO_COLOR: '1', PORT: '0', DATA_DIR: 'memory', DEBUG_MODE: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves the first line matching `pattern`, waiting up to `timeoutMs` for it. */
  async waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    await waitUntil(() => this.lines.some((line) => pattern.test(line)) || !this.running, timeoutMs, 20).catch(() => undefined);
    const line = this.lines.find((l) => pattern.test(l));
    if (line === undefined) throw new Error(`no line matched ${pattern} within ${timeoutMs}ms; output:\n${this.lines.join('\n')}`);
    return line;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves how the process ended, or kills it after `timeoutMs` and fails. */
  async exit(timeoutMs = 20_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`the service did not exit within ${timeoutMs}ms; output:\n${this.lines.join('\n')}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
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
