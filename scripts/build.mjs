// Builds the workspace packages (libs/*, apps/shop-common) each into its own dist/: JavaScript
// with swc (decorator metadata included, the options Jest runs the tests with) and declarations
// with `tsc -b tsconfig.build.json` (project references, so in dependency order). Then compiles
// apps/, bench/ and deployment/ into dist/ at the root. Everything imports the packages by name,
// as a user's app does; node resolves them through node_modules, where npm links the workspaces.
import { transformFile } from '@swc/core';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist');
const sourceDirs = ['libs', 'apps', 'bench', 'deployment'];
const swcOptions = createRequire(import.meta.url)('./swc-options.cjs');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const packages = workspacePackages();

/** The directories the root package.json lists as workspaces (`dir/*` or `dir`). */
function workspacePackages() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(parent, entry.name))
      .sort();
  });
}

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // A package's own build output is not a source.
    if (entry.isDirectory() && (entry.name === 'dist' || entry.name === 'node_modules')) continue;
    if (entry.isDirectory()) yield* walk(path);
    else if (isShippedSource(entry.name)) yield path;
  }
}

function isShippedSource(name) {
  return name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts');
}

function isInPackage(file) {
  return packages.some((pkg) => !relative(pkg, file).startsWith('..'));
}

async function compile(file, outFile) {
  // The source map names the source relative to the output (its content is inline), not by
  // the path it had on the machine that built the package.
  const sourceFileName = relative(dirname(outFile), file).split(sep).join('/');
  const { code } = await transformFile(file, { ...swcOptions, filename: file, sourceFileName });
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, code);
}

async function build() {
  await Promise.all([outDir, ...packages.map((pkg) => join(pkg, 'dist'))].map((dir) => rm(dir, { recursive: true, force: true })));
  let count = 0;
  for (const pkg of packages) {
    for await (const file of walk(join(pkg, 'src'))) {
      await compile(file, join(pkg, 'dist', relative(join(pkg, 'src'), file)).replace(/\.ts$/, '.js'));
      count += 1;
    }
  }
  await promisify(execFile)(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { cwd: root }).catch((error) => {
    throw new Error(`declarations failed (tsc -b tsconfig.build.json):\n${error.stdout}${error.stderr}`);
  });
  for (const dir of sourceDirs) {
    for await (const file of walk(join(root, dir))) {
      if (isInPackage(file)) continue;
      await compile(file, join(outDir, relative(root, file)).replace(/\.ts$/, '.js'));
      count += 1;
    }
  }
  await mkdir(outDir, { recursive: true });
  await writeFile(stamp, new Date().toISOString());
  if (!quiet) console.log(`built ${packages.length} packages (JavaScript and declarations) and ${count} files in all`);
}

// --if-stale skips the build when no source changed since the last one (and every package's
// build is there): tools run from dist/ (the log viewer) must not wipe it under services that
// are running from it.
async function isStale() {
  const built = await stat(stamp).then((s) => s.mtimeMs, () => 0);
  for (const pkg of packages) {
    if ((await stat(join(pkg, 'dist/index.js')).catch(() => undefined)) === undefined) return true;
  }
  for (const dir of sourceDirs) {
    for await (const file of walk(join(root, dir))) if ((await stat(file)).mtimeMs > built) return true;
  }
  return false;
}

const stamp = join(outDir, '.built');
const quiet = process.argv.includes('--quiet');
if (!process.argv.includes('--if-stale') || (await isStale())) await build();
