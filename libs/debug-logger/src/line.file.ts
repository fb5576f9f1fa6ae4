import { type FileHandle, open, stat } from 'node:fs/promises';

/** How often, at most, the path is compared with the open file, in milliseconds. */
const PATH_CHECK_MS = 1000;

/** What a `LineFile` tells its owner; once per episode, never per batch. */
export interface LineFileReports {
  /** Lines could not be written from now on. */
  failed(error: Error): void;
}

/**
 * One category's file: batches of JSON lines appended in order through a handle kept open.
 * A file moved or deleted (logrotate, an operator's `mv` or `rm`) is noticed within a second
 * and opened again at its path; `reopen()` does it at once (SIGHUP).
 */
export class LineFile {
  private chain: Promise<void> = Promise.resolve();
  private handle?: FileHandle;
  private dev = 0n;
  private ino = 0n;
  private checkedAt = 0;
  private failing = false;

  constructor(
    readonly path: string,
    /** Makes the folder; runs before each open. */
    private readonly prepare: () => Promise<unknown>,
    private readonly reports: LineFileReports,
  ) {}

  /** Appends `lines` (whole lines, each ending in `\n`) after the batches already queued. */
  append(lines: Buffer): void {
    this.chain = this.chain.then(() => this.write(lines));
  }

  /** Lets the open file go once the queued batches are written; the next batch opens the path again. */
  reopen(): void {
    this.chain = this.chain.then(() => this.release());
  }

  /** Resolves once every queued batch is written or dropped. */
  settled(): Promise<void> {
    return this.chain;
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    await this.chain;
    await this.release();
  }

  private async write(lines: Buffer): Promise<void> {
    try {
      const handle = await this.opened();
      let written = 0;
      while (written < lines.length) written += (await handle.write(lines, written, lines.length - written)).bytesWritten;
    } catch (error) {
      if (!this.failing) this.reports.failed(error as Error);
      this.failing = true;
      return;
    }
    this.failing = false;
  }

  private async opened(): Promise<FileHandle> {
    if (this.handle !== undefined && (await this.movedAway())) await this.release();
    return (this.handle ??= await this.open());
  }

  // A handle keeps writing into a moved or deleted file; only the path tells.
  private async movedAway(): Promise<boolean> {
    const now = Date.now();
    if (now - this.checkedAt < PATH_CHECK_MS) return false;
    this.checkedAt = now;
    const found = await stat(this.path, { bigint: true }).catch(() => undefined);
    return found === undefined || found.ino !== this.ino || found.dev !== this.dev;
  }

  private async open(): Promise<FileHandle> {
    await this.prepare();
    const handle = await open(this.path, 'a', 0o600);
    try {
      ({ dev: this.dev, ino: this.ino } = await handle.stat({ bigint: true }));
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.checkedAt = Date.now();
    return handle;
  }

  private async release(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
