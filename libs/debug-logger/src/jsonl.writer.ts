import { mkdir } from 'node:fs/promises';
import { LineBuffer } from './line.buffer.js';
import { LineFile } from './line.file.js';
import { sessionFile } from './session-files.js';

/** Bytes one category may hold before a flush is started early. */
const EARLY_FLUSH_BYTES = 60 * 1024;

/** One category: the lines waiting, and the file they go to. */
interface Category {
  out: LineBuffer;
  file: LineFile;
}

/** What the writer tells its owner, per category; never per line. */
export interface JsonlWriterHooks {
  /** The category's lines cannot be written from now on; they are dropped until they can. */
  failed(category: string, error: Error): void;
  /** `lines` of the category were dropped; `resumed` when writing works again, else at close. */
  dropped(category: string, lines: number, resumed: boolean): void;
  /** The line marking a gap of `lines` dropped lines in the category's file, just before the batch `next`. */
  gapMark(category: string, lines: number, next: Buffer): Buffer;
  /** Runs before each flush, to write lines held elsewhere first. */
  beforeFlush(): void;
}

/**
 * Appends JSON lines to one file per category, buffered: lines are written into the
 * category's `LineBuffer` (`out`, then `written`), a timer (unref'd, it never keeps the
 * process alive) hands each category's lines to its `LineFile` in one batch, in order.
 * A failed write is reported, never thrown. While it has files it listens to SIGHUP, the
 * signal logrotate sends, and reopens them all; without that listener SIGHUP would end the
 * process (Node's default action).
 */
export class JsonlWriter {
  private readonly categories = new Map<string, Category>();
  private timer?: NodeJS.Timeout;
  private readonly reopenAll = (): void => {
    for (const { file } of this.categories.values()) file.reopen();
  };

  constructor(
    private readonly dir: string,
    private readonly sessionId: string,
    private readonly flushIntervalMs: number,
    private readonly hooks: JsonlWriterHooks,
  ) {}

  fileOf(category: string): string {
    return sessionFile(this.dir, this.sessionId, category);
  }

  /** Where the next lines of `category` go; call `written` once they are in. */
  out(category: string): LineBuffer {
    return (this.categories.get(category) ?? this.add(category)).out;
  }

  /** Schedules the write of what `category` holds: at once when it is large, else on the timer. */
  written(category: string): void {
    const entry = this.categories.get(category);
    if (entry === undefined) return;
    if (entry.out.size >= EARLY_FLUSH_BYTES) flushCategory(entry);
    else this.schedule();
  }

  /** Makes sure a flush comes within the flush interval. */
  schedule(): void {
    this.timer ??= setTimeout(() => this.flushAll(), this.flushIntervalMs).unref();
  }

  /** Writes everything queued so far; resolves when it is on disk (or dropped). */
  async flush(): Promise<void> {
    this.flushAll();
    await Promise.all([...this.categories.values()].map(({ file }) => file.settled()));
  }

  /** Flushes, then closes the files and stops listening to SIGHUP; a later write opens them again. */
  async close(): Promise<void> {
    await this.flush();
    const files = [...this.categories.values()].map(({ file }) => file);
    this.categories.clear();
    process.off('SIGHUP', this.reopenAll);
    await Promise.all(files.map((file) => file.close()));
  }

  private add(category: string): Category {
    if (this.categories.size === 0) process.on('SIGHUP', this.reopenAll);
    // The folder is made at each open (rare), so one removed while the service runs comes back.
    const file = new LineFile(this.fileOf(category), () => mkdir(this.dir, { recursive: true }), {
      failed: (error) => this.hooks.failed(category, error),
      dropped: (lines, resumed) => this.hooks.dropped(category, lines, resumed),
      gapMark: (lines, next) => this.hooks.gapMark(category, lines, next),
    });
    const entry = { out: new LineBuffer(), file };
    this.categories.set(category, entry);
    return entry;
  }

  // The timer is cleared first, so a flush `beforeFlush` schedules (a sampling summary still to
  // come) is kept rather than cleared with this one.
  private flushAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.hooks.beforeFlush();
    for (const entry of this.categories.values()) flushCategory(entry);
  }

}

function flushCategory({ out, file }: Category): void {
  if (out.size > 0) file.append(out.take());
}
