import { describe, expect, it } from '@jest/globals';
import { isOlderVersion } from './server-version.js';

describe('isOlderVersion', () => {
  it.each([
    ['2.8.4', true],
    ['v2.2.0', true],
    ['2.9.0', false],
    ['2.9.10', false],
    ['2.10.0-beta.1', false],
    ['3.0.0', false],
  ])('%s against 2.9.0 is older: %s', (version, older) => {
    expect(isOlderVersion(version)).toBe(older);
  });
});
