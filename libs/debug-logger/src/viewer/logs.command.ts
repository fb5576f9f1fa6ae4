import { CliffracerError } from '@cliffracer/common';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CATEGORY_PATTERN, DebugCategory } from '../debug-logger.constants.js';
import { listSessions, sessionFile } from '../session-files.js';
import { type LogEntry, parseEntry } from './log-entry.js';
import { type LogFilter, matches, parseSince } from './log-filter.js';
import { formatEntry } from './log-format.js';
import { renderSummary, summarize } from './log-summary.js';
import { tailLooks } from './log-tail.js';

/** How long `--follow` holds a new entry for later-arriving earlier ones (over the logger's 200 ms flush). */
const FOLLOW_HOLD_MS = 500;

export const LOGS_USAGE = `usage: npm run logs -- [--dir ./debug_logs] [--session latest|<id>] [--category rpc[,events]]
                     [--correlation <id>] [--since 5m|<iso>] [--follow] [--json] [--summary] [--sessions]`;

/** Where the command writes; a TTY gets colors. */
export interface LogsOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * The `logs` command: prints the entries of a session (merged across categories, in time
 * order), filtered by category, correlation ID and age; `--follow` keeps printing new ones,
 * `--json` prints raw lines, `--summary` counts and p50/p99 per category and operation.
 */
export async function runLogsCommand(argv: string[], out: LogsOutput, signal?: AbortSignal, env = process.env): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dir: { type: 'string', default: env.DEBUG_LOG_DIR ?? './debug_logs' },
      session: { type: 'string', default: 'latest' },
      category: { type: 'string', multiple: true },
      correlation: { type: 'string' },
      since: { type: 'string' },
      follow: { type: 'boolean', short: 'f', default: false },
      json: { type: 'boolean', default: false },
      summary: { type: 'boolean', default: false },
      sessions: { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sessions = await listSessions(values.dir);
  if (values.sessions) {
    for (const [id, categories] of sessions) out.write(`${id}  ${categories.join(', ')}\n`);
    return;
  }
  const sessionId = values.session === 'latest' ? [...sessions.keys()].at(-1) : values.session;
  if (sessionId === undefined || !sessions.has(sessionId)) {
    throw new CliffracerError(`no debug log session ${values.session} in ${values.dir}`, { code: 'NO_SESSION' });
  }
  const categories = pickCategories(values.category, sessions.get(sessionId)!, sessionId, values.follow);
  const files = categories.map((category) => sessionFile(values.dir, sessionId, category));
  const filter: LogFilter = { correlationId: values.correlation, since: values.since === undefined ? undefined : parseSince(values.since) };
  const colors = Boolean(out.isTTY) && !values['no-color'];
  const print = (line: string, entry: LogEntry) => out.write(`${values.json ? line : formatEntry(entry, colors)}\n`);

  const existing = (await Promise.all(files.map(readEntries))).flat().filter(({ entry }) => matches(entry, filter));
  existing.sort((a, b) => a.entry.timestamp.localeCompare(b.entry.timestamp));
  if (values.summary) {
    out.write(`${renderSummary(summarize(existing.map((e) => e.entry)))}\n`);
    return;
  }
  for (const { line, entry } of existing) print(line, entry);
  if (!values.follow) return;
  const held = new FollowOrder();
  for await (const look of tailLooks(files, signal ?? new AbortController().signal)) {
    for (const line of look) {
      const entry = parseEntry(line);
      if (entry && matches(entry, filter)) held.add(line, entry);
    }
    for (const { line, entry } of held.due()) print(line, entry);
  }
  for (const { line, entry } of held.rest()) print(line, entry);
}

/**
 * New entries of several files, printed in time order: each category's file is written by
 * every service on its own flush (200 ms by default), so an entry can reach its file after a
 * later one reached another. An entry is held until it is `FOLLOW_HOLD_MS` old (or was held
 * twice that long, should its clock be ahead), and those due go out sorted by time.
 */
class FollowOrder {
  private held: Array<{ line: string; entry: LogEntry; at: number; arrived: number }> = [];

  add(line: string, entry: LogEntry): void {
    const at = Date.parse(entry.timestamp);
    this.held.push({ line, entry, at: Number.isNaN(at) ? 0 : at, arrived: Date.now() });
  }

  due(now = Date.now()): Array<{ line: string; entry: LogEntry }> {
    this.held.sort((a, b) => a.at - b.at);
    const count = this.held.findIndex((h) => h.at > now - FOLLOW_HOLD_MS && h.arrived > now - 2 * FOLLOW_HOLD_MS);
    return this.held.splice(0, count === -1 ? this.held.length : count);
  }

  rest(): Array<{ line: string; entry: LogEntry }> {
    return this.held.splice(0).sort((a, b) => a.at - b.at);
  }
}

/**
 * The categories asked for (all of the session's when none), each one the session has: a
 * misspelt one would print nothing. With `--follow`, a framework category the session has
 * not written yet (`timers` before the first run) is waited for instead.
 */
function pickCategories(asked: string[] | undefined, present: string[], sessionId: string, follow: boolean): string[] {
  if (asked === undefined) return present;
  const categories = asked.flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const category of categories) {
    if (!CATEGORY_PATTERN.test(category)) {
      throw new CliffracerError(`--category takes lowercase category names, got ${JSON.stringify(category)}`, { code: 'BAD_ARGUMENT' });
    }
  }
  const framework: string[] = Object.values(DebugCategory);
  const missing = categories.filter((category) => !present.includes(category) && !(follow && framework.includes(category)));
  if (missing.length > 0) {
    throw new CliffracerError(`no category ${missing.join(', ')} in session ${sessionId}; it has ${present.join(', ')}`, { code: 'NO_CATEGORY' });
  }
  return categories;
}

async function readEntries(file: string): Promise<Array<{ line: string; entry: LogEntry }>> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').flatMap((line) => {
    const entry = parseEntry(line);
    return entry ? [{ line, entry }] : [];
  });
}
