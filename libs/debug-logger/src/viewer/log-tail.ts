import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where reading a followed file has got to: the end of its last whole line read. */
interface Followed {
  ino?: number;
  offset: number;
}

/**
 * Follows files as they grow, from their current end, yielding whole new lines; files that
 * do not exist yet are picked up when they appear. A line not ended yet is read again at the
 * next look rather than kept, so one the logger cuts off again (a full disk) is never glued
 * to the next. A file replaced at its path (rotated) or truncated in place (copytruncate) is
 * read from its start. Stops when `signal` aborts.
 */
export async function* tailLines(files: string[], signal: AbortSignal, pollMs = 250): AsyncGenerator<string> {
  for await (const look of tailLooks(files, signal, pollMs)) yield* look;
}

/**
 * `tailLines` one look at a time: every `pollMs`, the new whole lines of all the files (an
 * empty list when none grew), so a caller can order lines of several files before printing.
 */
export async function* tailLooks(files: string[], signal: AbortSignal, pollMs = 250): AsyncGenerator<string[]> {
  const followed = new Map<string, Followed>();
  for (const file of files) {
    const found = await statOf(file);
    followed.set(file, { ino: found?.ino, offset: found?.size ?? 0 });
  }
  while (!signal.aborted) {
    const look: string[] = [];
    for (const [file, at] of followed) {
      const found = await statOf(file);
      if (found === undefined) continue;
      if ((at.ino !== undefined && found.ino !== at.ino) || found.size < at.offset) at.offset = 0;
      at.ino = found.ino;
      if (found.size <= at.offset) continue;
      const bytes = await readRange(file, at.offset, found.size);
      const end = bytes.lastIndexOf(0x0a);
      if (end === -1) continue;
      at.offset += end + 1;
      look.push(...bytes.toString('utf8', 0, end).split('\n'));
    }
    yield look;
    // The timer's abort listener goes when it fires: one per wait would pile up on the signal.
    await sleep(pollMs, undefined, { signal }).catch(() => undefined);
  }
}

async function statOf(file: string): Promise<{ ino: number; size: number } | undefined> {
  return stat(file).then(({ ino, size }) => ({ ino, size }), () => undefined);
}

async function readRange(file: string, from: number, to: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
