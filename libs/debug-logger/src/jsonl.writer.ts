import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { LineBuffer } from './line.buffer.js';
import { sessionFile } from './session-files.js';

/** Bytes one category may hold before a flush is started early. */
const EARLY_FLUSH_BYTES = 60 * 1024;

/** One category's file: lines waiting, the appends in order, the handle kept open. */
interface CategoryFile {
  out: LineBuffer;
  chain: Promise<void>;
  handle?: Promise<FileHandle>;
  failed: boolean;
}

/**
 * Appends JSON lines to one file per category, buffered: lines are written into the
 * category's `LineBuffer` (`out`, then `written`), a timer
 * (unref'd, it never keeps the process alive) writes each category's lines in one append,
 * in order, through a handle opened once. A failed write is reported once per category,
 * never thrown.
 */
export class JsonlWriter {
  private readonly files = new Map<string, CategoryFile>();
  private timer?: NodeJS.Timeout;
  private ready?: Promise<unknown>;

  constructor(
    private readonly dir: string,
    private readonly sessionId: string,
    private readonly flushIntervalMs: number,
    private readonly onError: (category: string, error: Error) => void,
    /** Runs before each flush, to write lines held elsewhere first. */
    private readonly beforeFlush: () => void = () => undefined,
  ) {}

  fileOf(category: string): string {
    return sessionFile(this.dir, this.sessionId, category);
  }

  /** Where the next lines of `category` go; call `written` once they are in. */
  out(category: string): LineBuffer {
    let file = this.files.get(category);
    if (file === undefined) {
      file = { out: new LineBuffer(), chain: Promise.resolve(), failed: false };
      this.files.set(category, file);
    }
    return file.out;
  }

  /** Schedules the write of what `category` holds: at once when it is large, else on the timer. */
  written(category: string): void {
    const file = this.files.get(category);
    if (file === undefined) return;
    if (file.out.size >= EARLY_FLUSH_BYTES) this.flushCategory(category, file);
    else this.schedule();
  }

  /** Makes sure a flush comes within the flush interval. */
  schedule(): void {
    this.timer ??= setTimeout(() => this.flushAll(), this.flushIntervalMs).unref();
  }

  /** Writes everything queued so far; resolves when it is on disk. */
  async flush(): Promise<void> {
    this.flushAll();
    await Promise.all([...this.files.values()].map((file) => file.chain));
  }

  /** Flushes, then closes the files; a later write opens them again. */
  async close(): Promise<void> {
    await this.flush();
    const files = [...this.files.values()];
    this.files.clear();
    await Promise.all(files.map(async (file) => (await file.handle?.catch(() => undefined))?.close()));
  }

  private flushAll(): void {
    this.beforeFlush();
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const [category, file] of this.files) this.flushCategory(category, file);
  }

  private flushCategory(category: string, file: CategoryFile): void {
    if (file.out.size === 0) return;
    const bytes = file.out.take();
    file.chain = file.chain
      .then(async () => {
        const handle = await (file.handle ??= this.openFile(category, file));
        await handle.appendFile(bytes);
      })
      .catch((error: Error) => {
        if (!file.failed) this.onError(category, error);
        file.failed = true;
      });
  }

  // A file that failed to open (folder missing, no permission) is tried again at the next flush.
  private async openFile(category: string, file: CategoryFile): Promise<FileHandle> {
    try {
      this.ready ??= mkdir(this.dir, { recursive: true });
      await this.ready;
      return await open(this.fileOf(category), 'a', 0o600);
    } catch (error) {
      this.ready = undefined;
      file.handle = undefined;
      throw error;
    }
  }
}
