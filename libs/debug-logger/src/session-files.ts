import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isSessionId } from './session-id.js';

const FILE = /^(\d{8}_\d{6})_([a-z][a-z0-9_-]*)\.jsonl$/;

/** The file of one category of one session. */
export function sessionFile(dir: string, sessionId: string, category: string): string {
  return join(dir, `${sessionId}_${category}.jsonl`);
}

/** The sessions and categories found in a folder, sessions oldest first. */
export async function listSessions(dir: string): Promise<Map<string, string[]>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sessions = new Map<string, string[]>();
  for (const name of names.sort()) {
    const match = FILE.exec(name);
    if (!match || !isSessionId(match[1])) continue;
    const categories = sessions.get(match[1]) ?? [];
    categories.push(match[2]);
    sessions.set(match[1], categories);
  }
  return sessions;
}
