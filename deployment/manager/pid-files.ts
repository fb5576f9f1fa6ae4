import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** A process the deployment started, as its PID file records it. */
export interface TrackedProcess {
  name: string;
  pid: number;
  pidFile: string;
  /** When the PID file was written: the process's start. */
  since: Date;
}

export async function writePidFile(file: string, pid: number): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `${pid}\n`);
}

/** The process a PID file names, or undefined when there is no (readable) file. */
export async function readPidFile(file: string): Promise<TrackedProcess | undefined> {
  try {
    const [content, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    const pid = Number(content.trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return { name: basename(file, '.pid'), pid, pidFile: file, since: info.mtime };
  } catch {
    return undefined;
  }
}

/** Every process a PID folder tracks. */
export async function trackedProcesses(dir: string): Promise<TrackedProcess[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const tracked = await Promise.all(names.filter((n) => n.endsWith('.pid')).map((n) => readPidFile(join(dir, n))));
  return tracked.filter((t): t is TrackedProcess => t !== undefined);
}

export async function removePidFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** Removes every PID file of the folder, also empty ones (`nginx -t` leaves one). */
export async function removeAllPidFiles(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith('.pid')).map((n) => removePidFile(join(dir, n))));
}

/** Whether a process with this PID exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until the process is gone; false when it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
