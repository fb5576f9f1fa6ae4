import { open, stat } from 'node:fs/promises';

/**
 * Follows files as they grow, from their current end, yielding whole new lines; files that
 * do not exist yet are picked up when they appear. Stops when `signal` aborts.
 */
export async function* tailLines(files: string[], signal: AbortSignal, pollMs = 250): AsyncGenerator<string> {
  const offsets = new Map<string, number>();
  const partial = new Map<string, string>();
  for (const file of files) offsets.set(file, await sizeOf(file));
  while (!signal.aborted) {
    for (const file of files) {
      const size = await sizeOf(file);
      const from = offsets.get(file) ?? 0;
      if (size <= from) continue;
      const text = (partial.get(file) ?? '') + (await readRange(file, from, size));
      offsets.set(file, size);
      const lines = text.split('\n');
      partial.set(file, lines.pop() ?? '');
      yield* lines;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

async function readRange(file: string, from: number, to: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
