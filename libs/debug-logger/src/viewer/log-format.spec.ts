import { describe, expect, it } from '@jest/globals';
import { formatEntry } from './log-format.js';

const entry = { session_id: 's', timestamp: '2026-11-27T16:00:00.000Z', elapsed_seconds: 1, level: 'warn', category: 'events', msg: 'event.handled' };

describe('formatEntry', () => {
  it('shows control characters of fields escaped: a subject or field name cannot drive the terminal or forge a line', () => {
    const line = formatEntry({ ...entry, operation: 'audit.\u001b]0;pwned\u0007', field: "name\n16:00:00.000 ERROR auth  forged", code: '\u009b2J' }, true);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('audit.\\u001b]0;pwned\\u0007');
    expect(line).toContain('field=name\\u000a16:00:00.000 ERROR auth  forged');
    expect(line).toContain('code=\\u009b2J');
    // Only the viewer's own colours remain.
    expect(line.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('prints a plain entry as it is', () => {
    expect(formatEntry({ ...entry, operation: 'orders.events.created', duration_ms: 1.5 }, false)).toMatch(/^16:00:00.000 WARN  events\s+-\s+-\s+event.handled\s+orders.events.created\s+1.50ms$/);
  });
});
