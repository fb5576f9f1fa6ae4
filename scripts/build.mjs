// Compiles libs/, apps/, bench/ and deployment/ to dist/ with swc (decorator metadata included)
// and rewrites `@cliffracer/<lib>` imports into relative paths, since ESM has no path aliases.
import { transformFile } from '@swc/core';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const sourceDirs = ['libs', 'apps', 'bench', 'deployment'];
const swcOptions = createRequire(import.meta.url)('./swc-options.cjs');
const ALIAS = /(from\s+|import\s*\(\s*|import\s+)(["'])@cliffracer\/([a-z0-9-]+)(\/[a-z0-9-/]+)?\2/g;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (isShippedSource(entry.name)) yield path;
  }
}

function isShippedSource(name) {
  return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts');
}

function rewriteAliases(code, outFile) {
  return code.replace(ALIAS, (_match, lead, quote, lib, sub) => {
    const target = join(outDir, 'libs', lib, 'src', sub ? `${sub.slice(1)}/index.js` : 'index.js');
    let rel = relative(dirname(outFile), target).split(sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return `${lead}${quote}${rel}${quote}`;
  });
}

async function build() {
  await rm(outDir, { recursive: true, force: true });
  let count = 0;
  for (const dir of sourceDirs) {
    for await (const file of walk(join(root, dir))) {
      const outFile = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
      const { code } = await transformFile(file, { ...swcOptions, filename: file });
      await mkdir(dirname(outFile), { recursive: true });
      await writeFile(outFile, rewriteAliases(code, outFile));
      count += 1;
    }
  }
  await writeFile(stamp, new Date().toISOString());
  if (!quiet) console.log(`built ${count} files into dist/`);
}

// --if-stale skips the build when no source changed since the last one: tools run from dist/
// (the log viewer) must not wipe it under services that are running from it.
async function isStale() {
  const built = await stat(stamp).then((s) => s.mtimeMs, () => 0);
  for (const dir of sourceDirs) {
    for await (const file of walk(join(root, dir))) if ((await stat(file)).mtimeMs > built) return true;
  }
  return false;
}

const stamp = join(outDir, '.built');
const quiet = process.argv.includes('--quiet');
if (!process.argv.includes('--if-stale') || (await isStale())) await build();
