import { CliffracerError } from '@cliffracer/common';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CATEGORY_PATTERN } from '../debug-logger.constants.js';
import { listSessions, sessionFile } from '../session-files.js';
import { type LogEntry, parseEntry } from './log-entry.js';
import { type LogFilter, matches, parseSince } from './log-filter.js';
import { formatEntry } from './log-format.js';
import { renderSummary, summarize } from './log-summary.js';
import { tailLines } from './log-tail.js';

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
  const categories = pickCategories(values.category, sessions.get(sessionId)!);
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
  for await (const line of tailLines(files, signal ?? new AbortController().signal)) {
    const entry = parseEntry(line);
    if (entry && matches(entry, filter)) print(line, entry);
  }
}

function pickCategories(asked: string[] | undefined, present: string[]): string[] {
  if (asked === undefined) return present;
  const categories = asked.flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const category of categories) {
    if (!CATEGORY_PATTERN.test(category)) {
      throw new CliffracerError(`--category takes lowercase category names, got ${JSON.stringify(category)}`, { code: 'BAD_ARGUMENT' });
    }
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
