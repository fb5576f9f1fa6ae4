// `npm run backdoor -- localhost:<port>`: a line-editing client with history for the backdoor.
// The token comes from BACKDOOR_TOKEN when set, otherwise it is asked for (not echoed to history).
import { appendFile, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseBackdoorTarget } from './backdoor-target.js';

const HISTORY = join(homedir(), '.cliffracer_backdoor_history');

async function main(): Promise<void> {
  const { host, port } = parseBackdoorTarget(process.argv[2]);
  const history = (await readFile(HISTORY, 'utf8').catch(() => '')).split('\n').filter(Boolean).reverse().slice(0, 500);
  const socket = connect(port, host);
  const rl = createInterface({ input: process.stdin, output: process.stdout, history, historySize: 500, terminal: process.stdin.isTTY });
  let greeted = false;
  // The line typed at the token prompt is the token: it is sent, never kept in the history.
  let tokenPending = false;
  socket.on('data', (chunk) => {
    const text = chunk.toString('utf8');
    if (!greeted && text.includes('Token: ')) {
      greeted = true;
      const token = process.env.BACKDOOR_TOKEN;
      if (token) socket.write(`${token}\n`);
      else {
        tokenPending = true;
        process.stdout.write(text);
      }
      return;
    }
    // The server's prompt is shown by readline so line editing stays in step with it.
    const prompt = text.endsWith('>>> ');
    process.stdout.write(prompt ? text.slice(0, -4) : text);
    if (prompt) {
      rl.setPrompt('>>> ');
      rl.prompt(true);
    }
  });
  socket.on('close', () => {
    rl.close();
    process.stdout.write('\nconnection closed\n');
  });
  socket.on('error', (error) => {
    console.error(`cannot reach the backdoor at ${host}:${port}: ${error.message}`);
    process.exitCode = 1;
  });
  rl.on('line', (line) => {
    socket.write(`${line}\n`);
    if (tokenPending) {
      tokenPending = false;
      return;
    }
    if (line.trim() !== '') void appendFile(HISTORY, `${line}\n`, { mode: 0o600 }).catch(() => undefined);
  });
  rl.on('close', () => socket.end());
}

main().catch((error: Error) => {
  console.error(`${error.message}\nusage: npm run backdoor -- [host:]port`);
  process.exitCode = 2;
});
