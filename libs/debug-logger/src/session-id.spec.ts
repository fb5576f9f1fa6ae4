import { describe, expect, it } from '@jest/globals';
import { formatSessionId, isSessionId } from './session-id.js';

describe('formatSessionId', () => {
  it('formats a moment as YYYYMMDD_HHMMSS in UTC', () => {
    expect(formatSessionId(new Date('2025-10-18T14:44:30.999Z'))).toBe('20251018_144430');
  });

  it('writes what isSessionId accepts', () => {
    expect(isSessionId(formatSessionId())).toBe(true);
    expect(isSessionId('2025_1')).toBe(false);
  });
});
