import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tailLines, tailLooks } from './log-tail.js';

describe('tailLines', () => {
  let dir: string;
  let file: string;
  let controller: AbortController;
  let lines: AsyncGenerator<string>;

  // A follower that stops reading (stuck behind a shrunk file) fails here, not at the test timeout.
  async function next(): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no line within 2s')), 2000)));
    try {
      return (await Promise.race([lines.next(), late])).value;
    } finally {
      clearTimeout(timer);
    }
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'log-tail-'));
    file = join(dir, '20260101_120000_rpc.jsonl');
    await writeFile(file, 'old-1\n');
    controller = new AbortController();
    lines = tailLines([file], controller.signal, 5);
    const first = lines.next();
    await appendFile(file, 'old-2\n');
    expect((await first).value).toBe('old-2');
  });

  afterEach(async () => {
    controller.abort();
    await lines.return(undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file replaced at its path (rotated) from its start', async () => {
    await rename(file, `${file}.1`);
    await writeFile(file, 'new-line-longer-than-the-old-file\n');
    expect(await next()).toBe('new-line-longer-than-the-old-file');
  });

  it('reads a file truncated in place (copytruncate) from its start', async () => {
    await truncate(file, 0);
    await appendFile(file, 'fresh\n');
    expect(await next()).toBe('fresh');
  });

  it('forgets a cut-short line that is cut off again, and reads on from the cut', async () => {
    await appendFile(file, 'whole\n{"cut-sh');
    expect(await next()).toBe('whole');
    await truncate(file, 'old-1\nold-2\nwhole\n'.length);
    await appendFile(file, '{"after":"the cut"}\n');
    expect(await next()).toBe('{"after":"the cut"}');
  });
});

describe('tailLines and tailLooks', () => {
  it('keeps at most one listener on the abort signal however many times it looks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'log-looks-'));
    const file = join(dir, 'rpc.jsonl');
    await writeFile(file, '');
    const controller = new AbortController();
    const lines = tailLines([file], controller.signal, 1);
    try {
      for (let i = 0; i < 20; i += 1) {
        const line = lines.next();
        await appendFile(file, `line-${i}\n`);
        expect((await line).value).toBe(`line-${i}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
      }
    } finally {
      controller.abort();
      await lines.return(undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('yields the new lines of every file of one look together', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'log-looks-'));
    const [a, b] = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    await writeFile(a, '');
    await writeFile(b, '');
    const controller = new AbortController();
    const looks = tailLooks([a, b], controller.signal, 50);
    try {
      expect((await looks.next()).value).toEqual([]);
      await appendFile(b, 'b-1\n');
      await appendFile(a, 'a-1\n');
      let look: string[] = [];
      while (look.length === 0) look = (await looks.next()).value as string[];
      expect(look.sort()).toEqual(['a-1', 'b-1']);
    } finally {
      controller.abort();
      await looks.return(undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
