import { beforeAll, describe, expect, it } from '@jest/globals';
import { freePort, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** Starting five services on a busy machine may take a while; the demo itself has no limit. */
const START_MS = 150_000;

/** Every process below `pid` (children, their children...), read from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  for (const stack = [...(children.get(pid) ?? [])]; stack.length > 0; ) {
    const next = stack.pop()!;
    found.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** The demo, as `npm run demo` runs it once built, on a gateway port and subject prefix of its own. */
class DemoRun {
  output = '';
  readonly closed: Promise<unknown>;

  constructor(
    readonly child: ChildProcess,
    /** The demo's own process (the child, or the child's child under a launcher shell). */
    private readonly viaShell = false,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.closed = once(child, 'close');
  }

  static async start(options: { env?: Record<string, string>; viaShell?: boolean } = {}): Promise<DemoRun> {
    const env = {
      ...process.env,
      GATEWAY_PORT: String(await freePort()),
      NATS_SUBJECT_PREFIX: `demo${uniquePrefix()}`,
      DEBUG_LOG_DIR: await mkdtemp(join(tmpdir(), 'demo-logs-')),
      ...options.env,
    };
    // `npm run demo` runs `npm run build && node scripts/demo.mjs` in a shell, which does not
    // pass a SIGTERM from npm on to the demo.
    const child = options.viaShell
      ? spawn('/bin/sh', ['-c', 'true && node scripts/demo.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, ['scripts/demo.mjs'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    return new DemoRun(child, options.viaShell);
  }

  async ready(): Promise<void> {
    await waitUntil(() => this.output.includes('Press Ctrl-C to stop.') || this.child.exitCode !== null, START_MS, 200);
    expect(this.output).toContain('Press Ctrl-C to stop.');
  }

  /** The demo's process tree now: the demo, its services, and what they run. */
  processes(): number[] {
    return this.viaShell ? descendants(this.child.pid!) : [this.child.pid!, ...descendants(this.child.pid!)];
  }
}

describe('npm run demo', () => {
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet'], { cwd: ROOT });
  }, 60_000);

  it.each([
    ['SIGTERM', 'on the shared NATS server'],
    ['SIGHUP', 'with a nats-server of its own'],
  ] as const)(
    'stops every service it started, and then itself, on %s (%s)',
    async (signal, nats) => {
      // Nothing listens at a fresh port: the demo starts a nats-server, which must go too.
      const env: Record<string, string> = nats === 'with a nats-server of its own' ? { NATS_URL: `nats://127.0.0.1:${await freePort()}` } : {};
      const demo = await DemoRun.start({ env });
      await demo.ready();
      const processes = demo.processes();
      expect(processes.length).toBeGreaterThanOrEqual(6);
      const commands = processes.map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
      expect(commands.includes('nats-server')).toBe(nats === 'with a nats-server of its own');
      demo.child.kill(signal);
      await demo.closed;
      expect(demo.child.exitCode).toBe(0);
      await waitUntil(() => processes.every((pid) => !alive(pid)), 20_000, 100);
      expect(processes.filter(alive)).toEqual([]);
    },
    START_MS + 60_000,
  );

  it(
    'stops everything when its launcher is killed with SIGTERM, which a shell does not pass on',
    async () => {
      const demo = await DemoRun.start({ viaShell: true });
      await demo.ready();
      const processes = demo.processes();
      expect(processes.length).toBeGreaterThanOrEqual(6);
      demo.child.kill('SIGTERM');
      await waitUntil(() => processes.every((pid) => !alive(pid)), 30_000, 100);
      expect(processes.filter(alive)).toEqual([]);
    },
    START_MS + 60_000,
  );

  it(
    'stops at once when a service exits while starting, showing that service\'s last log lines',
    async () => {
      const demo = await DemoRun.start({ env: { ORDERS_PAYMENT_WINDOW_MS: 'soon' } });
      const seen = new Set<number>();
      await waitUntil(() => {
        for (const pid of demo.processes()) seen.add(pid);
        return demo.child.exitCode !== null;
      }, START_MS, 100);
      expect(seen.size).toBeGreaterThanOrEqual(6);
      expect([...seen].filter(alive)).toEqual([]);
      expect(demo.child.exitCode).toBe(1);
      expect(demo.output).toMatch(/demo stopped: orders stopped \(exit code 1\); its last log lines:\n(.*\n)*.*\| .*ORDERS_PAYMENT_WINDOW_MS must be a whole number, got "soon"/);
      expect(demo.output).not.toContain('Press Ctrl-C to stop.');
    },
    START_MS,
  );
});
