import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UnauthorizedError } from '@cliffracer/auth';
import { CorrelationContext } from '@cliffracer/correlation';
import { NatsClient } from '@cliffracer/nats-transport';
import { callRpc, ensureNats, type NatsEndpoint, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { publishedWorkspaces, ROOT } from './workspaces.js';

const run = promisify(execFile);
const NPM_FLAGS = ['--no-audit', '--no-fund', '--prefer-offline'];

/**
 * What a user's app installs beside the packages (the README's Install section): their peers, at
 * the versions this repository is tested with (which `npm ci` put in the npm cache).
 */
const PEERS = [...new Set(publishedWorkspaces().flatMap(({ pkg }) => Object.keys(pkg.peerDependencies ?? {})))].sort();
const DEV = ['typescript', '@types/node'];

/** The user's tsconfig: strict, NodeNext, Nest's decorators; declarations of every package checked. */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: ['node'],
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src'],
};

async function installedVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** npm's environment without what `npm test` sets for this repository (its prefix, its package). */
function npmEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_(local_prefix|workspaces?|include_workspace_root)$)/i.test(key)) delete env[key];
  }
  return env;
}

async function npm(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, env: npmEnv(), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { message: string; stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Times each step, to print one line at the end. */
class Stopwatch {
  private readonly steps: string[] = [];
  async time<T>(name: string, step: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await step();
    } finally {
      this.steps.push(`${name} ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  toString(): string {
    return this.steps.join(', ');
  }
}

describe('the packed packages, installed in a project outside the repository', () => {
  const watch = new Stopwatch();
  let work: string;
  let nats: NatsEndpoint;
  let prefix: string;
  let service: ChildProcess | undefined;
  let output = '';
  const target = () => ({ servers: nats.url, subjectPrefix: prefix, errors: [UnauthorizedError] });
  const withToken = <T>(token: string, call: () => Promise<T>) =>
    CorrelationContext.run(`packaging-${Math.random()}`, () => {
      CorrelationContext.forward('Authorization', `Bearer ${token}`);
      return call();
    });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cliffracer-install-'));
    const tarballs = join(work, 'tarballs');
    const app = join(work, 'app');
    await mkdir(tarballs);
    await mkdir(join(app, 'src'), { recursive: true });

    await watch.time('build', () => run(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale', '--quiet'], { cwd: ROOT }));
    const packed = await watch.time('pack', async () => {
      const workspaces = publishedWorkspaces().flatMap(({ dir }) => ['--workspace', dir]);
      const json = await npm(['pack', '--json', '--pack-destination', tarballs, ...workspaces], ROOT);
      return (JSON.parse(json) as Array<{ filename: string }>).map(({ filename }) => join(tarballs, filename));
    });
    expect(packed).toHaveLength(publishedWorkspaces().length);

    const pin = async (name: string) => `${name}@${await installedVersion(name)}`;
    const devDependencies = Object.fromEntries(await Promise.all(DEV.map(async (name) => [name, await installedVersion(name)])));
    const manifest = { name: 'notes-service', version: '1.0.0', private: true, type: 'module', devDependencies };
    await writeFile(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFile(join(app, 'tsconfig.json'), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
    await copyFile(join(ROOT, 'test/packaging/fixture/main.ts'), join(app, 'src/main.ts'));
    const peers = await Promise.all(PEERS.map(pin));
    await watch.time('npm install', () => npm(['install', ...NPM_FLAGS, ...packed, ...peers], app));
    await watch.time('tsc', () => run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: app }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout ?? ''}`);
    }));

    nats = await ensureNats();
    prefix = uniquePrefix();
    await watch.time('start', async () => {
      service = spawn(process.execPath, [join(app, 'dist/main.js')], {
        cwd: app,
        env: { ...process.env, NATS_URL: nats.url, NATS_SUBJECT_PREFIX: prefix, JWT_SECRET: 'packaging-test-secret-of-32-characters!!', DATA_DIR: join(work, 'pgdata') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      service.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      service.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitUntil(() => output.includes('notes ready') || service!.exitCode !== null, 60_000, 50);
      if (!output.includes('notes ready')) throw new Error(`the service did not start:\n${output}`);
    });
  }, 600_000);

  afterAll(async () => {
    if (service && service.exitCode === null) service.kill('SIGKILL');
    await nats?.release();
    if (work) await rm(work, { recursive: true, force: true });
    console.log(`packaging: ${watch.toString()}`);
  });

  it('compiles in strict NodeNext mode and starts with node', () => {
    expect(output).toContain('notes ready');
  });

  it('installs each package with its dist/ (JavaScript and declarations), README, LICENSE and package.json only', async () => {
    for (const { pkg } of publishedWorkspaces()) {
      const dir = join(work, 'app/node_modules', pkg.name);
      const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)));
      expect({ name: pkg.name, other: files.filter((file) => !/^(dist\/.+\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(file)) }).toEqual({ name: pkg.name, other: [] });
      expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'dist/index.d.ts']));
      for (const file of files) expect({ file, leaks: (await readFile(join(dir, file), 'utf8')).includes(ROOT) }).toEqual({ file, leaks: false });
    }
  });

  it('answers a public @Rpc over NATS', async () => {
    await expect(callRpc(target(), 'notes', 'login', { user: 'ann' })).resolves.toEqual({ token: expect.any(String) });
  });

  it('refuses a guarded @Rpc without a token, with the JWT guard', async () => {
    await expect(callRpc(target(), 'notes', 'list')).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('stores and reads an entity through SecureRepository on the embedded Postgres, as the caller of the token', async () => {
    const { token } = await callRpc<{ token: string }>(target(), 'notes', 'login', { user: 'ann' });
    const note = await withToken(token, () => callRpc<{ id: number }>(target(), 'notes', 'add', { text: "O'Brien's note" }));
    expect(note).toEqual({ id: expect.any(Number), text: "O'Brien's note", author: 'ann' });
    await expect(withToken(token, () => callRpc(target(), 'notes', 'list'))).resolves.toEqual([note]);
  });

  it('delivers an @Event and runs the @Timer', async () => {
    const client = new NatsClient({ service: 'packaging-test', servers: nats.url, subjectPrefix: prefix });
    try {
      await client.emit('notes.events.pinged', { from: 'test' });
    } finally {
      await client.close();
    }
    let stats = { ticks: 0, pings: [] as string[] };
    await waitUntil(async () => {
      stats = await callRpc(target(), 'notes', 'stats');
      return stats.pings.length > 0 && stats.ticks > 1;
    }, 10_000, 50);
    expect(stats.pings).toEqual(['test']);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    service!.kill('SIGTERM');
    const [code] = (await once(service!, 'exit')) as [number | null];
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('notes ready') });
  });
});
