import { CliffracerError } from '@cliffracer/common';
import { open, readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstancePlan, StatePaths } from './deploy-plan.js';

/** `logs --process` named no process of the deployment. */
export class UnknownProcessError extends CliffracerError {
  override readonly name = 'UnknownProcessError';

  constructor(
    readonly process: string,
    known: string[],
  ) {
    super(`no process ${process} in this deployment; its logs: ${known.join(', ')}`, { code: 'UNKNOWN_PROCESS' });
  }
}

/**
 * The log file of `process` (an instance name such as `orders-0`, `nginx` for nginx's errors,
 * `nginx-access`), or the unified log; throws `UnknownProcessError` for any other name.
 */
export function logFileOf(paths: StatePaths, instances: InstancePlan[], process?: string): string {
  if (process === undefined) return paths.unifiedLog;
  if (process === 'nginx') return paths.nginxErrorLog;
  if (process === 'nginx-access') return paths.nginxAccessLog;
  const instance = instances.find((i) => i.name === process);
  if (instance === undefined) throw new UnknownProcessError(process, [...instances.map((i) => i.name), 'nginx', 'nginx-access']);
  return instance.logFile;
}

/**
 * Empties every log file of the state folder, keeping the files: the running instances' runners
 * and nginx append to them (O_APPEND), so they write on from the start. Resolves their names.
 */
export async function cleanLogs(paths: StatePaths): Promise<string[]> {
  const names = (await readdir(paths.logs).catch(() => [] as string[])).filter((name) => name.endsWith('.log')).sort();
  await Promise.all(names.map((name) => truncate(join(paths.logs, name), 0)));
  return names;
}

/** The last `lines` lines of a file ('' when it does not exist). */
export async function lastLines(file: string, lines: number): Promise<string> {
  const size = await stat(file).then((s) => s.size, () => -1);
  if (size < 0) return '';
  const handle = await open(file, 'r');
  try {
    // Read backwards in blocks until enough line breaks are seen.
    let text = '';
    for (let end = size; end > 0 && text.split('\n').length <= lines + 1; ) {
      const start = Math.max(0, end - 65_536);
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(end - start), 0, end - start, start);
      text = buffer.subarray(0, bytesRead).toString('utf8') + text;
      end = start;
    }
    return text.replace(/\n$/, '').split('\n').slice(-lines).join('\n');
  } finally {
    await handle.close();
  }
}

/** Writes what is appended to `file` from now on, until `signal` aborts. */
export async function follow(file: string, write: (chunk: string) => void, signal: AbortSignal): Promise<void> {
  let offset = await stat(file).then((s) => s.size, () => 0);
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const size = await stat(file).then((s) => s.size, () => 0);
    if (size < offset) offset = 0; // truncated: start over
    if (size === offset) continue;
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(size - offset), 0, size - offset, offset);
      write(buffer.subarray(0, bytesRead).toString('utf8'));
      offset += bytesRead;
    } finally {
      await handle.close();
    }
  }
}
