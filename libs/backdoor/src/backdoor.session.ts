import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { start as startRepl, type REPLServer } from 'node:repl';
import type { AuthFailureLimiter } from './auth-failure.limiter.js';
import { createBoundedEval } from './backdoor.eval.js';
import { lockedOutMessage } from './backdoor.messages.js';
import { redactCommand } from './command.redact.js';
import type { NormalizedBackdoorOptions } from './interfaces/backdoor-options.interface.js';
import { tokenMatches } from './token-check.js';

// `.save` and `.load` would write and read files as the service. (`.editor` needs no entry:
// Node defines it only for terminal REPLs, and sessions run with `terminal: false`.)
const DISABLED_COMMANDS = ['save', 'load'] as const;

/** What a session reports to the server's log. */
export type SessionEvent =
  | { type: 'auth_failed' | 'auth_ok' | 'closed' | 'line_too_long' | 'idle_timeout' | 'rate_limited' | 'auth_timeout' }
  | { type: 'command'; command: string };

/** One connection: the token first, then a REPL with the backdoor context. */
export class BackdoorSession {
  private authenticated = false;
  private pending = Buffer.alloc(0);
  private lineBytes = 0;
  private input?: PassThrough;
  private repl?: REPLServer;
  private authTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly options: NormalizedBackdoorOptions & { token: string },
    private readonly limiter: AuthFailureLimiter,
    private readonly banner: () => string,
    private readonly context: (close: () => void) => Record<string, unknown>,
    private readonly report: (event: SessionEvent) => void,
  ) {}

  start(): void {
    this.socket.setTimeout(this.options.idleTimeoutMs);
    this.socket.on('timeout', () => this.close('idle_timeout', 'session idle too long: closing\n'));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('close', () => this.dispose());
    this.socket.on('error', () => this.dispose());
    this.authTimer = setTimeout(() => this.close('auth_timeout', '\nno token given in time: closing\n'), this.options.authTimeoutMs);
    this.socket.write('Cliffracer backdoor. Token: ');
  }

  close(reason?: SessionEvent['type'], message?: string): void {
    if (this.closed) return;
    if (reason) this.report({ type: reason } as SessionEvent);
    if (message && this.socket.writable) this.socket.end(message);
    else this.socket.end();
    this.dispose();
  }

  private onData(chunk: Buffer): void {
    if (!this.withinLineLimit(chunk)) {
      this.close('line_too_long', `\ninput line longer than ${this.options.maxLineBytes} bytes: closing\n`);
      return;
    }
    if (this.authenticated) {
      this.input!.write(chunk);
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk]);
    const end = this.pending.indexOf(0x0a);
    if (end < 0) return;
    const line = this.pending.subarray(0, end).toString('utf8').replace(/\r$/, '');
    const rest = this.pending.subarray(end + 1);
    this.pending = Buffer.alloc(0);
    this.authenticate(line, rest);
  }

  // Counts bytes since the last newline across chunks, so no line grows without bound.
  private withinLineLimit(chunk: Buffer): boolean {
    let length = this.lineBytes;
    for (const byte of chunk) {
      if (byte === 0x0a) length = 0;
      else if (++length > this.options.maxLineBytes) return false;
    }
    this.lineBytes = length;
    return true;
  }

  private authenticate(line: string, rest: Buffer): void {
    clearTimeout(this.authTimer);
    // A connection opened before the lockout is locked out too, or each open slot would be one more guess.
    const wait = this.limiter.retryAfterMs();
    if (wait > 0) {
      this.close('rate_limited', lockedOutMessage(wait));
      return;
    }
    if (!tokenMatches(line, this.options.token)) {
      this.limiter.recordFailure();
      this.close('auth_failed', 'authentication failed\n');
      return;
    }
    this.authenticated = true;
    this.report({ type: 'auth_ok' });
    this.socket.write(`${this.banner()}\n`);
    this.startRepl();
    if (rest.length > 0) this.input!.write(rest);
  }

  private startRepl(): void {
    const input = new PassThrough();
    this.input = input;
    // Redacted before splitting, so a value on the line after its key is caught too.
    input.on('data', (chunk: Buffer) => {
      for (const command of redactCommand(chunk.toString('utf8')).split('\n')) {
        if (command.trim() !== '') this.report({ type: 'command', command: command.slice(0, 500) });
      }
    });
    const repl = startRepl({
      input,
      output: this.socket,
      prompt: '>>> ',
      terminal: false,
      useColors: false,
      ignoreUndefined: true,
      eval: createBoundedEval(this.options.evalTimeoutMs),
    });
    for (const name of DISABLED_COMMANDS) {
      repl.defineCommand(name, {
        help: 'disabled in the backdoor',
        action() {
          this.output.write(`.${name} is disabled in the backdoor\n`);
          this.displayPrompt();
        },
      });
    }
    Object.assign(repl.context, this.context(() => this.close()));
    // `.exit` and exit() end this session; the REPL never owns the process.
    repl.on('exit', () => this.close());
    this.repl = repl;
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.authTimer);
    this.report({ type: 'closed' });
    this.repl?.close();
    this.input?.end();
    this.socket.destroy();
  }
}
