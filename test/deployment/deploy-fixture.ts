import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

const run = promisify(execFile);
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/deployment/manager/deploy.main.js');

/** Builds dist/ when a source changed since the last build: the manager runs the built apps. */
export async function buildOnce(): Promise<void> {
  await run(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale', '--quiet'], { cwd: ROOT });
}

/** Runs `npm run deploy -- <args>` as a user would, and what it printed. */
export async function deploy(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A deployment config in a folder of its own (its state folder too); resolves the file. */
export async function writeConfig(config: Record<string, unknown>): Promise<{ file: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cliffracer-deploy-'));
  const file = join(dir, 'deploy.yaml');
  await writeFile(file, stringify({ root: ROOT, state_dir: join(dir, 'state'), ...config }));
  return { file, dir };
}

/**
 * `count` consecutive free ports, as apps with several instances need. Taken below Linux's
 * ephemeral range (32768 and up): there, any outgoing connection of the run (to NATS, to the
 * database, nginx to its upstreams) may hold one of them when the test checks it is free.
 */
export async function freePortRange(count: number, isFree: (port: number) => Promise<boolean>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - count));
    const checks = await Promise.all(Array.from({ length: count }, (_, i) => isFree(base + i)));
    if (checks.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
