import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@cliffracer/testing';
import { collectLines } from '../support/fixture-process.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const NEST_CLI = join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js');
export const JEST_CLI = join(ROOT, 'node_modules/jest/bin/jest.js');
export const TSC_CLI = join(ROOT, 'node_modules/typescript/bin/tsc');

// What a developer's checkout holds that the dev loop reads; build output and local state stay behind.
const COPIED = ['apps', 'libs', 'scripts', 'deployment/dev-config.yaml', 'nest-cli.json', 'tsconfig.json', 'jest.config.js', 'package.json'];
const SKIPPED = new Set(['node_modules', 'dist', '.local', '.pgdata', 'debug_logs', '.nats-data']);

/** A copy of the repository in a temporary folder, sharing its node_modules; the tests' own sandbox. */
export interface RepoCopy {
  dir: string;
  remove(): Promise<void>;
}

export async function copyRepo(): Promise<RepoCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'cliffracer-devloop-'));
  for (const entry of COPIED) {
    await mkdir(dirname(join(dir, entry)), { recursive: true });
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (source) => !SKIPPED.has(basename(source)) });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** How a finished command ended and what it printed. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a child: the test's own, without what would make a nested Jest behave as a worker. */
export function childEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { JEST_WORKER_ID: _worker, BACKDOOR_TOKEN: _token, ...inherited } = process.env;
  return { ...inherited, NO_COLOR: '1', FORCE_COLOR: '0', ...env };
}

/** Runs `node <args>` to its end; a non-zero exit is a result, not an exception. */
export function runNode(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.cwd, env: childEnv(options.env), timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A long-running child (a service, `nest start --watch`) in a process group of its own, its output kept by line. */
export class ChildService {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    collectLines(child, this.lines);
    this.exited = once(child, 'close').then(([code]) => code as number | null);
  }

  static start(args: string[], options: { cwd: string; env?: Record<string, string> }): ChildService {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: childEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    return new ChildService(child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How many lines so far match `pattern`. */
  count(pattern: RegExp): number {
    return this.lines.filter((line) => pattern.test(line)).length;
  }

  /** Resolves once `count` lines match `pattern`; fails with the output when they don't in time. */
  async waitForLines(pattern: RegExp, count = 1, timeoutMs = 30_000): Promise<void> {
    await waitUntil(() => this.count(pattern) >= count || !this.running, timeoutMs, 50).catch(() => undefined);
    if (this.count(pattern) < count) {
      throw new Error(`expected ${count} line(s) matching ${pattern} within ${timeoutMs}ms; output:\n${this.lines.join('\n')}`);
    }
  }

  /** SIGTERM to the whole group (nest start and the app it runs), SIGKILL when it lingers. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (this.running) this.signalGroup('SIGTERM');
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
      // The app under `nest start` may outlive the CLI by a moment; leave nothing behind.
      this.signalGroup('SIGKILL');
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  }
}

/** GET on 127.0.0.1, its status, or 0 when nothing answers. */
export async function httpStatus(port: number, path: string): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
