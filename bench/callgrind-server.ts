import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A bench server running under `valgrind --tool=callgrind`, counting the instructions it
 * executes only between `measure` calls' start and end: the same count in every run for the
 * same work, where times on a shared machine move by 5-15%. JIT code is counted as it runs.
 */
export class CallgrindServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly outFile: string,
  ) {}

  /** Starts `script` (a built bench server) under callgrind with `env`; resolves once it listens. */
  static async start(script: string, env: Record<string, string>, outDir: string, label: string): Promise<CallgrindServer> {
    const outFile = join(outDir, `${label}.callgrind`);
    const args = ['--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${outFile}`, process.execPath, script];
    const child = spawn('valgrind', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    for await (const chunk of child.stdout!) {
      output += String(chunk);
      if (output.includes('ready')) return new CallgrindServer(child, outFile);
    }
    throw new Error(`${label} exited under valgrind before it was ready (is valgrind installed?)`);
  }

  /** Instructions the server executed while `work` ran. */
  async measure(work: () => Promise<void>): Promise<number> {
    await this.control('-i', 'on');
    await work();
    await this.control('-i', 'off');
    await this.control('-d');
    return this.dumpedTotal(`${this.outFile}.1`);
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }

  // The dump goes to `<out>.1`, its `totals` line last: read until valgrind has written it.
  private async dumpedTotal(file: string): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const totals = /^totals: (\d+)$/m.exec(await readFile(file, 'utf8').catch(() => ''));
      if (totals !== null) return Number(totals[1]);
      await setTimeout(100);
    }
    throw new Error(`callgrind wrote no totals to ${file}`);
  }

  private async control(...args: string[]): Promise<void> {
    await run('callgrind_control', [...args, String(this.child.pid)]);
  }
}
