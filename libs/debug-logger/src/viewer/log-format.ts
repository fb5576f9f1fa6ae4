import type { LogEntry } from './log-entry.js';

const COLORS = { reset: '\x1b[0m', dim: '\x1b[2m', red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', green: '\x1b[32m', magenta: '\x1b[35m' };
const LEVEL_COLOR: Record<string, string> = { error: COLORS.red, warn: COLORS.yellow, info: COLORS.green, debug: COLORS.dim };
const SHOWN = new Set(['session_id', 'timestamp', 'elapsed_seconds', 'level', 'category', 'msg', 'service', 'correlation_id', 'operation', 'duration_ms']);
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

// Entries carry what callers sent (a NATS subject may hold ESC and BEL, a field name a newline):
// shown escaped, they can neither drive the terminal nor forge a line of the view.
const clean = (text: string) => text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * One aligned line: time, level, category, service, correlation ID, message, operation,
 * duration, then the remaining fields as `key=value`.
 */
export function formatEntry(entry: LogEntry, colors: boolean): string {
  const paint = (color: string, text: string) => (colors ? `${color}${text}${COLORS.reset}` : text);
  const level = entry.level ?? 'info';
  const columns = [
    paint(COLORS.dim, clean(entry.timestamp.slice(11, 23))),
    paint(LEVEL_COLOR[level] ?? '', clean(level.toUpperCase().padEnd(5))),
    paint(COLORS.cyan, clean(entry.category.padEnd(11))),
    clean((entry.service ?? '-').padEnd(14)),
    paint(COLORS.magenta, clean((entry.correlation_id ?? '-').slice(0, 36).padEnd(36))),
    clean(String(entry.msg).padEnd(16)),
    clean(String(entry.operation ?? '').padEnd(28)),
    entry.duration_ms === undefined ? ''.padStart(10) : `${entry.duration_ms.toFixed(2)}ms`.padStart(10),
  ];
  const rest = Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, value]) => clean(`${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`))
    .join(' ');
  return `${columns.join(' ')} ${rest}`.trimEnd();
}
