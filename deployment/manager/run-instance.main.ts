// Runs one instance of an app for the deployment manager: starts the app's script with piped
// output, writes each line to the instance's own log and, prefixed with its name, to the
// unified log; passes SIGTERM/SIGINT on and exits as the app exits. Started detached, it is
// the process the PID file names (leader of the group that also holds the app).
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

interface RunSpec {
  name: string;
  entry: string;
  logFile: string;
  unifiedLog: string;
}

/** Width of the aligned name column of the unified log. */
const PREFIX_WIDTH = 20;
const ANSI = /\x1b\[[0-9;]*m/g;

const spec = JSON.parse(process.env.CLIFFRACER_RUN_SPEC ?? '{}') as RunSpec;
const { CLIFFRACER_RUN_SPEC: _spec, ...env } = process.env;
const own = createWriteStream(spec.logFile, { flags: 'a' });
const unified = createWriteStream(spec.unifiedLog, { flags: 'a' });
const prefix = `${spec.name.padEnd(PREFIX_WIDTH - 3)} >> `;

function record(line: string): void {
  const plain = line.replace(ANSI, '');
  own.write(`${plain}\n`);
  unified.write(`${prefix}${plain}\n`);
}

const child = spawn(process.execPath, [spec.entry], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', record);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => child.kill(signal));

child.on('error', (error) => {
  record(`[manager] could not start ${spec.entry}: ${error.message}`);
  void finish(1);
});
child.on('exit', (code, signal) => {
  record(`[manager] ${spec.name} exited (${signal ?? `code ${code}`})`);
  void finish(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
});

async function finish(code: number): Promise<void> {
  await Promise.all([own, unified].map((s: WriteStream) => new Promise((resolve) => s.end(resolve))));
  process.exit(code);
}
