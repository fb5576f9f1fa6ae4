import { type FileHandle, open, stat } from 'node:fs/promises';

/** How often, at most, the path is compared with the open file, in milliseconds. */
const PATH_CHECK_MS = 1000;
const NEWLINE = 0x0a;

/** What a `LineFile` tells its owner; each is called once per episode, never per line. */
export interface LineFileReports {
  /** Lines could not be written (and are dropped) from now on. */
  failed(error: Error): void;
  /** `lines` were dropped; `resumed` when writing works again, else the file is being closed. */
  dropped(lines: number, resumed: boolean): void;
  /**
   * The whole line (ending in `\n`) that marks a gap of `lines` dropped lines in the file,
   * written just before `next`, the first batch that fits after the gap.
   */
  gapMark(lines: number, next: Buffer): Buffer;
}

/**
 * One category's file: batches of whole JSON lines appended in order through a handle kept
 * open. A batch that does not fit (a full disk) leaves no part of a line behind: the kernel
 * may write part of it before failing, and that part is cut off again, so the next batch
 * starts on a line boundary. Lines that could not be written are dropped and counted, not
 * kept, so a long outage costs no memory; the next batch that fits starts with a line marking
 * the gap (`gapMark`), written with the batch or not at all, so a mark that did not fit either
 * carries its count on to the next. A file moved or deleted (logrotate, an operator's
 * `mv` or `rm`) is noticed within a second and opened again at its path; `reopen()` does it
 * at once (SIGHUP).
 *
 * Not sonic-boom: after a write cut short by ENOSPC it keeps the unwritten rest of the line
 * and writes it first once it can, also into a file it has reopened, which then starts with
 * half a line; its API has no way to drop that rest or cut off the written part.
 */
export class LineFile {
  private chain: Promise<void> = Promise.resolve();
  private handle?: FileHandle;
  private dev = 0n;
  private ino = 0n;
  private checkedAt = 0;
  private failing = false;
  // Dropped lines no mark in the file counts yet, and all dropped since writing last failed.
  private unmarked = 0;
  private dropped = 0;
  // Set when a cut-short line could not be cut off: the next write starts a new line first.
  private midLine = false;

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

  /** Writes what is queued, closes the file and reports lines still unreported as dropped. */
  async close(): Promise<void> {
    await this.chain;
    await this.release();
    if (this.dropped > 0) this.reports.dropped(this.dropped, false);
    this.dropped = 0;
  }

  private async write(batch: Buffer): Promise<void> {
    const mark = this.unmarked > 0 ? this.reports.gapMark(this.unmarked, batch) : undefined;
    const lines = mark === undefined ? batch : Buffer.concat([mark, batch]);
    let handle: FileHandle | undefined;
    let written = 0;
    try {
      handle = await this.opened();
      if (this.midLine) await handle.write(NEWLINE_BYTES);
      this.midLine = false;
      while (written < lines.length) written += (await handle.write(lines, written, lines.length - written)).bytesWritten;
    } catch (error) {
      const whole = written === 0 ? 0 : lines.lastIndexOf(NEWLINE, written - 1) + 1;
      if (handle !== undefined && written > whole) await this.cut(handle, written - whole);
      const markLength = mark?.length ?? 0;
      // A mark kept whole in the file has told its count; the batch's lines that did not fit are new.
      if (whole >= markLength) this.unmarked = 0;
      const lost = countLines(lines, Math.max(whole, markLength));
      this.unmarked += lost;
      this.dropped += lost;
      if (!this.failing) this.reports.failed(error as Error);
      this.failing = true;
      return;
    }
    this.unmarked = 0;
    if (!this.failing) return;
    this.failing = false;
    const dropped = this.dropped;
    this.dropped = 0;
    if (dropped > 0) this.reports.dropped(dropped, true);
  }

  // With one writer appending, the torn part is the end of the file.
  private async cut(handle: FileHandle, torn: number): Promise<void> {
    try {
      const { size } = await handle.stat();
      await handle.truncate(Math.max(0, size - torn));
    } catch {
      this.midLine = true;
    }
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

const NEWLINE_BYTES = Buffer.from('\n');

function countLines(bytes: Buffer, from: number): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE, from); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count += 1;
  return count;
}
