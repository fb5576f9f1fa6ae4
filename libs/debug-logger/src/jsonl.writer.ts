import { appendFile, mkdir } from 'node:fs/promises';
import { sessionFile } from './session-files.js';

/** Lines one category may hold before a flush is started early. */
const EARLY_FLUSH_LINES = 512;

/**
 * Appends JSON lines to one file per category, buffered: `write` only queues, a timer
 * (unref'd, it never keeps the process alive) writes each category's lines in one append,
 * in order. A failed write is reported once per category, never thrown.
 */
export class JsonlWriter {
  private readonly buffers = new Map<string, string[]>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly failed = new Set<string>();
  private timer?: NodeJS.Timeout;
  private ready?: Promise<unknown>;

  constructor(
    private readonly dir: string,
    private readonly sessionId: string,
    private readonly flushIntervalMs: number,
    private readonly onError: (category: string, error: Error) => void,
  ) {}

  fileOf(category: string): string {
    return sessionFile(this.dir, this.sessionId, category);
  }

  write(category: string, line: string): void {
    let buffer = this.buffers.get(category);
    if (buffer === undefined) {
      buffer = [];
      this.buffers.set(category, buffer);
    }
    buffer.push(line);
    if (buffer.length >= EARLY_FLUSH_LINES) this.flushCategory(category);
    else this.timer ??= setTimeout(() => this.flushAll(), this.flushIntervalMs).unref();
  }

  /** Writes everything queued so far; resolves when it is on disk. */
  async flush(): Promise<void> {
    this.flushAll();
    await Promise.all(this.chains.values());
  }

  private flushAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const category of this.buffers.keys()) this.flushCategory(category);
  }

  private flushCategory(category: string): void {
    const lines = this.buffers.get(category);
    if (!lines || lines.length === 0) return;
    this.buffers.set(category, []);
    this.ready ??= mkdir(this.dir, { recursive: true });
    const previous = this.chains.get(category) ?? Promise.resolve();
    const next = previous
      .then(() => this.ready)
      .then(() => appendFile(this.fileOf(category), `${lines.join('\n')}\n`, { mode: 0o600 }))
      .catch((error: Error) => {
        if (!this.failed.has(category)) this.onError(category, error);
        this.failed.add(category);
      });
    this.chains.set(category, next);
  }
}
