/** `YYYYMMDD_HHMMSS` of a moment, in UTC, so sessions sort by time as text. */
export function formatSessionId(at: Date = new Date()): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** True for a session ID as `formatSessionId` writes it. */
export function isSessionId(value: string): boolean {
  return /^\d{8}_\d{6}$/.test(value);
}
