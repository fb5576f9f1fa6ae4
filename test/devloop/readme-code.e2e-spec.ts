import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ValidationError } from '@cliffracer/nats-transport';
import { callRpc, ensureNats, type NatsEndpoint, type RpcTarget, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { ChildService, copyRepo, NEST_CLI, type RepoCopy, ROOT, runNode, TSC_CLI } from './devloop-fixture.js';

/** The fenced blocks of the README's "Your first service" section, by kind. */
interface FirstService {
  /** ```ts file=<path>: the files to write. */
  files: Array<{ path: string; code: string }>;
  /** ```json nest-cli-project=<name>: the project entries to add to nest-cli.json. */
  projects: Record<string, unknown>;
  /** ```bash: the commands, one a line, comments dropped. */
  commands: string[];
}

async function readFirstService(): Promise<FirstService> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Your first service\n');
  if (start === -1) throw new Error('README.md has no "## Your first service" section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const found: FirstService = { files: [], projects: {}, commands: [] };
  for (const [, lang, info, code] of section.matchAll(/^```(\w+)([^\n]*)\n([\s\S]*?)^```$/gm)) {
    const file = /\bfile=(\S+)/.exec(info!)?.[1];
    if (lang === 'ts' && file !== undefined) {
      // The README decides what is written where: only app sources, never outside the copy.
      if (!/^apps\/[a-z0-9-]+\/src\/[a-z0-9./-]+\.ts$/.test(file) || file.includes('..')) throw new Error(`README block names an unexpected file: ${file}`);
      found.files.push({ path: file, code: code! });
    } else if (lang === 'json' && /\bnest-cli-project=/.test(info!)) {
      Object.assign(found.projects, JSON.parse(`{${code}}`));
    } else if (lang === 'bash') {
      found.commands.push(...code!.split('\n').map((line) => line.split('#')[0]!.trim()).filter(Boolean));
    }
  }
  return found;
}

// The README's first service, written as its blocks say into a copy of the repository,
// type-checked, then started and called with the README's own commands.
describe('README "Your first service"', () => {
  let readme: FirstService;
  let repo: RepoCopy;
  let nats: NatsEndpoint;
  let target: RpcTarget;

  beforeAll(async () => {
    [readme, repo, nats] = await Promise.all([readFirstService(), copyRepo(), ensureNats()]);
    target = { servers: nats.url, subjectPrefix: uniquePrefix() };
    for (const { path, code } of readme.files) {
      await mkdir(dirname(join(repo.dir, path)), { recursive: true });
      await writeFile(join(repo.dir, path), code);
    }
    const nestCli = JSON.parse(await readFile(join(repo.dir, 'nest-cli.json'), 'utf8'));
    await writeFile(join(repo.dir, 'nest-cli.json'), JSON.stringify({ ...nestCli, projects: { ...nestCli.projects, ...readme.projects } }, null, 2));
  });

  afterAll(async () => {
    await nats?.release();
    await repo?.remove();
  });

  it('shows a DTO, a controller with @Rpc and @Event, a module and a main with every import', () => {
    const code = (suffix: string) => readme.files.find((f) => f.path.endsWith(suffix))?.code ?? '';
    expect(code('.dto.ts')).toMatch(/from 'class-validator'/);
    expect(code('.controller.ts')).toMatch(/@Rpc\(/);
    expect(code('.controller.ts')).toMatch(/@Event\(/);
    expect(code('.module.ts')).toMatch(/NatsTransportModule\.forRoot/);
    expect(code('/main.ts')).toMatch(/createNatsMicroservice\(/);
    expect(code('/main.ts')).toMatch(/installProcessGuards\(/);
    expect(Object.keys(readme.projects)).toEqual(['greeter']);
  });

  it('type-checks against the repository as written', async () => {
    await writeFile(join(repo.dir, 'tsconfig.readme.json'), JSON.stringify({ extends: './tsconfig.json', include: readme.files.map((f) => f.path) }));
    const result = await runNode([TSC_CLI, '-p', 'tsconfig.readme.json', '--noEmit'], { cwd: repo.dir, timeoutMs: 90_000 });
    expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
  }, 90_000);

  it('runs with its own commands: the service starts, answers the caller, handles its event, validates', async () => {
    const [start, call] = readme.commands;
    expect(start).toBe('npx nest start greeter --watch');
    expect(call).toMatch(/^node dist\/apps\/greeter\/src\/call-hello\.js Ada$/);
    const env = { NATS_URL: nats.url, NATS_SUBJECT_PREFIX: target.subjectPrefix! };
    const service = ChildService.start([NEST_CLI, ...start!.split(' ').slice(2)], { cwd: repo.dir, env });
    try {
      await waitUntil(() => callRpc(target, 'greeter', 'hello', { name: 'probe' }, { timeoutMs: 500 }).then(() => true, () => false), 45_000, 200);

      const called = await runNode(call!.split(' ').slice(1), { cwd: repo.dir, env });
      expect(called).toMatchObject({ code: 0 });
      expect(called.stdout).toContain("{ message: 'Hello, Ada!' }");
      await service.waitForLines(/greeted Ada/, 1, 10_000);

      await expect(callRpc(target, 'greeter', 'hello', { name: '' })).rejects.toBeInstanceOf(ValidationError);
    } finally {
      await service.stop();
    }
  }, 90_000);
});
