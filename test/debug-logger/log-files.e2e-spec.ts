import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DebugLogger, normalizeDebugLoggerOptions } from '@cliffracer/debug-logger';
import { waitUntil } from '@cliffracer/testing';
import { Logger } from '@nestjs/common';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const SESSION = '20260101_120000';

type Entry = Record<string, unknown> & { msg: string };

/** Every line of a file, each parsed on its own: a torn line fails the test here. */
async function entries(file: string): Promise<Entry[]> {
  const text = await readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Entry);
}

/** What the files a running process holds open point to; undefined once it is gone. */
async function openFiles(pid: number): Promise<string[] | undefined> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => undefined);
  if (fds === undefined) return undefined;
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target.startsWith('/'));
}

// A service with a debug logger and nothing else listening to SIGHUP: Node's default action
// for SIGHUP is to end the process. It writes a line per category for each line it is sent.
const CHILD = `
import { createInterface } from 'node:readline';
const { DebugLogger, normalizeDebugLoggerOptions } = await import(process.env.LOGGER_MODULE);
const logger = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir: process.env.LOG_DIR, sessionId: '${SESSION}' }, {}));
logger.log('rpc', 'before');
logger.log('events', 'before');
await logger.flush();
process.stdout.write('ready\\n');
for await (const line of createInterface({ input: process.stdin })) {
  logger.log('rpc', line);
  logger.log('events', line);
  await logger.flush();
  process.stdout.write('wrote ' + line + '\\n');
}
await logger.close();
`;

describe('debug log files rotated by logrotate', () => {
  it('keeps the process running on SIGHUP and reopens every category file at its path', async () => {
    await execFileAsync(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet']);
    const dir = await mkdtemp(join(tmpdir(), 'debug-hup-'));
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { ...process.env, LOG_DIR: dir, LOGGER_MODULE: pathToFileURL(resolve('libs/debug-logger/dist/index.js')).href },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    let ended: string | undefined;
    const exited = once(child, 'exit');
    child.on('exit', (code, signal) => (ended = signal ?? `exit ${code}`));
    try {
      await waitUntil(() => out.includes('ready\n') || ended !== undefined, 10000);
      const files = ['rpc', 'events'].map((category) => join(dir, `${SESSION}_${category}.jsonl`));
      for (const file of files) await rename(file, `${file}.1`);

      process.kill(child.pid!, 'SIGHUP');
      // The rotated files are let go at once (so logrotate's compress or delete frees them), not at the next entry.
      const holdsRotated = async () => (await openFiles(child.pid!))?.some((file) => file.endsWith('.1')) ?? true;
      await waitUntil(async () => ended !== undefined || !(await holdsRotated()));
      expect(ended).toBeUndefined();

      child.stdin.write('after\n');
      await waitUntil(() => out.includes('wrote after\n') || ended !== undefined);
      expect(ended).toBeUndefined();
      for (const file of files) {
        expect((await entries(file)).map((e) => e.msg)).toEqual(['after']);
        expect((await entries(`${file}.1`)).map((e) => e.msg)).toEqual(['before']);
      }
      child.stdin.end();
      await exited;
      expect(ended).toBe('exit 0');
    } finally {
      child.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('debug log files on a full disk', () => {
  // A real filesystem that fills up: a 64 KiB tmpfs (CI runs as root). A write that does not
  // fit is cut short by the kernel mid-line, then fails with ENOSPC.
  let disk: string;

  beforeAll(async () => {
    disk = await mkdtemp(join(tmpdir(), 'debug-full-'));
    await execFileAsync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', disk]).catch((error: Error) => {
      throw new Error(`the full-disk test mounts a 64 KiB tmpfs and needs root for it: ${error.message}`);
    });
  });

  afterAll(async () => {
    await execFileAsync('umount', [disk]).catch(() => execFileAsync('umount', ['-l', disk]));
    await rm(disk, { recursive: true, force: true });
  });

  afterEach(async () => {
    for (const name of await readdir(disk)) {
      await execFileAsync('chattr', ['-a', join(disk, name)]);
      await rm(join(disk, name));
    }
  });

  /** Takes all the room but about 24 KiB, then logs some 130 KiB in flushes of 50 entries. */
  async function overflow(logger: DebugLogger): Promise<void> {
    await writeFile(join(disk, 'filler'), Buffer.alloc(40 * 1024));
    for (let i = 0; i < 400; i += 1) {
      logger.log('rpc', 'tick', { i, pad: 'x'.repeat(150) });
      if (i % 50 === 49) await logger.flush();
    }
  }

  // The flush comes well after the lines were logged: a gap mark stamped when it is written would
  // be later than the lines it precedes.
  async function makeRoom(logger: DebugLogger): Promise<void> {
    await rm(join(disk, 'filler'));
    for (let i = 400; i < 410; i += 1) logger.log('rpc', 'tick', { i });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await logger.flush();
    await logger.flush();
  }

  it('writes whole lines or none while the disk is full, and resumes on a line boundary once space is back', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const logger = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir: disk, service: 'full', sessionId: SESSION }, {}));
    const file = logger.fileOf('rpc');
    try {
      await overflow(logger);
      const kept = (await entries(file)).map((e) => e.i);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept).toEqual([...Array(kept.length).keys()]);
      expect(error.mock.calls.map(([message]) => message)).toEqual([expect.stringMatching(/^cannot write the rpc debug log: ENOSPC/)]);

      await makeRoom(logger);
      const after = await entries(file);
      expect(after.filter((e) => e.msg === 'tick').map((e) => e.i)).toEqual([...kept, ...Array.from({ length: 10 }, (_, n) => 400 + n)]);
      const dropped = 400 - kept.length;
      expect(after.filter((e) => e.msg === 'log.dropped')).toEqual([expect.objectContaining({ level: 'warn', dropped_lines: dropped })]);
      // The mark takes the time of the line after it, so a reader ordering by time keeps it in its place.
      const mark = after.findIndex((e) => e.msg === 'log.dropped');
      expect(after[mark + 1]).toEqual(expect.objectContaining({ msg: 'tick', i: 400 }));
      expect(after[mark]!.timestamp).toBe(after[mark + 1]!.timestamp);
      expect(after[mark]!.elapsed_seconds).toBe(after[mark + 1]!.elapsed_seconds);
      expect(warn.mock.calls.map(([message]) => message)).toEqual([`the rpc debug log dropped ${dropped} lines it could not write`]);
      expect(error).toHaveBeenCalledTimes(1);
    } finally {
      await logger.close();
      error.mockRestore();
      warn.mockRestore();
    }
  });

  it('starts a new line after a cut-short line it may not cut off (an append-only file)', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const logger = new DebugLogger(normalizeDebugLoggerOptions({ enabled: true, dir: disk, service: 'full', sessionId: SESSION }, {}));
    try {
      logger.log('rpc', 'first');
      await logger.flush();
      // chattr +a: appends are allowed, truncation is not.
      await execFileAsync('chattr', ['+a', logger.fileOf('rpc')]);
      await overflow(logger);
      await makeRoom(logger);
      const lines = (await readFile(logger.fileOf('rpc'), 'utf8')).slice(0, -1).split('\n');
      const parsed = lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Entry];
        } catch {
          return [];
        }
      });
      expect(lines.length - parsed.length).toBe(1);
      expect(parsed.filter((e) => e.msg === 'tick').map((e) => e.i).slice(-10)).toEqual(Array.from({ length: 10 }, (_, n) => 400 + n));
    } finally {
      await logger.close();
      error.mockRestore();
      warn.mockRestore();
    }
  });
});
