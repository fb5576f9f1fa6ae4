import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, join } from 'node:path';
import ts from 'typescript';
import { publishedWorkspaces, readPackageJson, ROOT, type Workspace, workspaces } from './workspaces.js';

/** Declared though no source imports them: another package loads them. */
const LOADED_BY_OTHERS = new Set([
  'reflect-metadata', // the app loads it first, for Nest's decorator metadata
  'pg', // TypeORM's postgres driver, which TypeORM requires itself
]);

/** What the user's app owns and a package may only ask for as a peer: one copy of each per app. */
const APP_OWNED = /^(@nestjs\/.+|rxjs|reflect-metadata|class-validator|class-transformer|typeorm)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The packages a workspace's shipped sources import (`@nestjs/core/x.js` counts as `@nestjs/core`). */
function importedPackages({ dir, pkg }: Workspace): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(join(dir, 'src'))) {
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.') || fileName.startsWith('node:') || builtinModules.includes(fileName)) continue;
      const parts = fileName.split('/');
      const name = fileName.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
      if (name !== pkg.name) names.add(name);
    }
  }
  return names;
}

describe('workspace packages', () => {
  const root = readPackageJson(ROOT);
  const published = publishedWorkspaces();

  it('are every lib, each named after its folder, at the repository version, under the MIT license', () => {
    const libs = readdirSync(join(ROOT, 'libs')).sort();
    expect(published.map(({ dir }) => basename(dir))).toEqual(libs);
    for (const { dir, pkg } of published) {
      expect({ name: pkg.name, version: pkg.version, type: pkg.type, license: pkg.license }).toEqual({
        name: `@cliffracer/${basename(dir)}`,
        version: root.version,
        type: 'module',
        license: root.license,
      });
    }
  });

  it('export only their built entry point, with its declarations, and ship dist/, the README and the license', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    for (const { dir, pkg } of published) {
      expect(pkg.exports).toEqual({
        '.': { types: './dist/index.d.ts', import: './dist/index.js' },
        './package.json': './package.json',
      });
      expect(pkg.files).toContain('dist');
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(license);
    }
  });

  it('say in their README how to install them with their peers', () => {
    for (const { dir, pkg } of published) {
      const line = readFileSync(join(dir, 'README.md'), 'utf8').split('\n').find((text) => text.startsWith('Install: `npm install '));
      const command = line?.slice('Install: `'.length, line.indexOf('`', 'Install: `'.length)).split(' ').filter((word) => !word.startsWith('-'));
      expect(command).toEqual(['npm', 'install', pkg.name, ...Object.keys(pkg.peerDependencies ?? {})]);
    }
  });

  it('declare every package their sources import, and nothing they do not', () => {
    for (const workspace of workspaces()) {
      const { dependencies = {}, peerDependencies = {} } = workspace.pkg;
      const declared = [...Object.keys(dependencies), ...Object.keys(peerDependencies)].filter((name) => !LOADED_BY_OTHERS.has(name));
      expect({ package: workspace.pkg.name, imports: [...importedPackages(workspace)].sort() }).toEqual({
        package: workspace.pkg.name,
        imports: declared.sort(),
      });
    }
  });

  it('leave to the app, as peers, what it owns, and depend on each other at the repository version', () => {
    const names = new Set(workspaces().map(({ pkg }) => pkg.name));
    for (const { pkg } of workspaces()) {
      const dependencies = Object.entries(pkg.dependencies ?? {});
      expect({ package: pkg.name, appOwned: dependencies.filter(([name]) => APP_OWNED.test(name)) }).toEqual({ package: pkg.name, appOwned: [] });
      expect({ package: pkg.name, peers: Object.keys(pkg.peerDependencies ?? {}).filter((name) => !APP_OWNED.test(name)) }).toEqual({ package: pkg.name, peers: [] });
      for (const [name, range] of dependencies.filter(([dep]) => names.has(dep))) expect({ name, range }).toEqual({ name, range: root.version });
    }
  });
});
