import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The fields of a package.json the packaging tests read. */
export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  type?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  workspaces?: string[];
}

/** One workspace package: its folder and its package.json. */
export interface Workspace {
  dir: string;
  pkg: PackageJson;
}

export function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The workspaces the root package.json lists (`libs/*`, `apps/shop-common`), in folder order. */
export function workspaces(): Workspace[] {
  const patterns = readPackageJson(ROOT).workspaces ?? [];
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(ROOT, pattern)];
    const parent = join(ROOT, pattern.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name))
      .sort();
  });
  return dirs.map((dir) => ({ dir, pkg: readPackageJson(dir) }));
}

/** The packages a user installs: every workspace not marked private. */
export function publishedWorkspaces(): Workspace[] {
  return workspaces().filter(({ pkg }) => pkg.private !== true);
}
