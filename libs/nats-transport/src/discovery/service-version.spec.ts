import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSemver, resolveServiceVersion } from './service-version.js';

describe('isSemver', () => {
  it.each(['0.0.0', '1.4.0', '2.0.0-rc.1', '1.0.0+build.5', '1.0.0-alpha-1.2+sha.abc'])('accepts %s', (version) => {
    expect(isSemver(version)).toBe(true);
  });

  it.each(['', '1.0', 'v1.0.0', '01.0.0', '1.0.0-', '1.0.0 ', 'latest', 42, null])('refuses %j', (version) => {
    expect(isSemver(version)).toBe(false);
  });
});

describe('resolveServiceVersion', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'service-version-'));
    mkdirSync(join(root, 'app/src/deep'), { recursive: true });
    writeFileSync(join(root, 'app/package.json'), JSON.stringify({ name: 'app', version: '3.2.1' }));
    mkdirSync(join(root, 'odd/src'), { recursive: true });
    writeFileSync(join(root, 'odd/package.json'), JSON.stringify({ name: 'odd', version: 'latest' }));
    mkdirSync(join(root, 'broken'), { recursive: true });
    writeFileSync(join(root, 'broken/package.json'), '{ not json');
    mkdirSync(join(root, 'bare'), { recursive: true });
    writeFileSync(join(root, 'bare/package.json'), JSON.stringify({ private: true }));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('takes the option first', () => {
    expect(resolveServiceVersion('9.9.9', join(root, 'app'))).toEqual({ version: '9.9.9' });
  });

  it('reads the nearest package.json above the working directory', () => {
    expect(resolveServiceVersion(undefined, join(root, 'app/src/deep'))).toEqual({ version: '3.2.1', source: join(root, 'app/package.json') });
  });

  it('reports 0.0.0, and why, when the nearest package.json has no semantic version', () => {
    expect(resolveServiceVersion(undefined, join(root, 'odd/src'))).toEqual({
      version: '0.0.0',
      source: join(root, 'odd/package.json'),
      refused: 'has version "latest", not a semantic version',
    });
    expect(resolveServiceVersion(undefined, join(root, 'bare'))).toMatchObject({ version: '0.0.0', refused: 'has no "version"' });
    expect(resolveServiceVersion(undefined, join(root, 'broken'))).toMatchObject({ version: '0.0.0', refused: 'is not JSON' });
  });
});
