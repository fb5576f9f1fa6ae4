import { withDeadline } from '@cliffracer/nats-transport';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
/** A Nest service boots in seconds; under callgrind, in tens of them. */
const READY_MS = 120_000;
const CONTROL_MS = 30_000;
const STOP_MS = 10_000;

/**
 * A bench server running under `valgrind --tool=callgrind`, counting the instructions it
 * executes only while `measure` runs its work: about the same count in every run for the same
 * work, where times on a shared machine move by 5-15%. JIT code is counted as it runs.
 */
export class CallgrindServer {
  private dumps = 0;
  private readonly exited: Promise<unknown>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly outFile: string,
  ) {
    // A spawn that fails ('error', no valgrind) never exits: either ends the process.
    this.exited = new Promise((resolve) => {
      child.once('exit', resolve);
      child.once('error', resolve);
    });
  }

  /** Starts `script` (a built bench server) under callgrind with `env`; resolves once it listens. */
  static async start(script: string, env: Record<string, string>, outDir: string, label: string): Promise<CallgrindServer> {
    const outFile = join(outDir, `${label}.callgrind`);
    const args = ['-q', '--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${outFile}`, process.execPath, script];
    const server = new CallgrindServer(spawn('valgrind', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }), outFile);
    try {
      await withDeadline(server.ready(label), READY_MS, () => new Error(`${label} did not start under valgrind within ${READY_MS} ms`));
      return server;
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  /** Instructions the server executed while `work` ran. */
  async measure(work: () => Promise<void>): Promise<number> {
    await this.control('-i', 'on');
    await work();
    await this.control('-i', 'off');
    await this.control('-d');
    this.dumps += 1;
    return this.dumpedTotal(`${this.outFile}.${this.dumps}`);
  }

  /** Stops the server (killing it if it has not exited within 10 s) and waits for it. */
  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await withDeadline(this.exited, STOP_MS, () => new Error('not stopped')).catch(() => {
      this.child.kill('SIGKILL');
      return this.exited;
    });
  }

  private ready(label: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let output = '';
      // Read to the end, so the server never blocks on a full pipe.
      this.child.stdout!.on('data', (chunk) => {
        output += String(chunk);
        if (output.includes('ready')) resolve();
      });
      this.child.once('error', (error) => reject(new Error(`cannot run valgrind (${error.message}): npm run bench:instructions needs it installed`)));
      this.child.once('exit', (code) => reject(new Error(`${label} exited under valgrind (code ${code}) before it was ready`)));
    });
  }

  // The `totals` line ends a dump: read until valgrind has written it whole.
  private async dumpedTotal(file: string): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const totals = /^totals: (\d+)\n/m.exec(await readFile(file, 'utf8').catch(() => ''));
      if (totals !== null) return Number(totals[1]);
      await sleep(100);
    }
    throw new Error(`callgrind wrote no totals to ${file}`);
  }

  private async control(...args: string[]): Promise<void> {
    await execFileAsync('callgrind_control', [...args, String(this.child.pid)], { timeout: CONTROL_MS });
  }
}
