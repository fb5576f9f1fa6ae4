/** One line of a debug log as the viewer reads it. */
export interface LogEntry {
  session_id: string;
  timestamp: string;
  elapsed_seconds: number;
  level?: string;
  category: string;
  msg: string;
  service?: string;
  correlation_id?: string | null;
  operation?: string;
  duration_ms?: number;
  success?: boolean;
  severity?: string;
  [field: string]: unknown;
}

/** Parses one line; `undefined` for a blank, torn or foreign line (a file being written). */
export function parseEntry(line: string): LogEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const entry = value as LogEntry;
    return typeof entry.timestamp === 'string' && typeof entry.category === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}
