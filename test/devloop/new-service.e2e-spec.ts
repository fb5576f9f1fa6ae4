import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { callRpc, ensureNats, freePort, type NatsEndpoint, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { parse } from 'yaml';
import { loadDeployConfig } from '../../deployment/manager/deploy-config.js';
import { ChildService, copyRepo, httpStatus, JEST_CLI, NEST_CLI, type RepoCopy, runNode, TSC_CLI } from './devloop-fixture.js';

const NAME = 'price-alerts';
const GENERATOR = 'scripts/new-service.mjs';

// Everything the generator may touch, to prove a refused run touched none of it.
async function snapshot(dir: string): Promise<string[]> {
  return [
    await readFile(join(dir, 'nest-cli.json'), 'utf8'),
    await readFile(join(dir, 'deployment/dev-config.yaml'), 'utf8'),
    (await readdir(join(dir, 'apps'))).join(','),
    (await readdir(join(dir, 'test'), { recursive: true }).catch(() => [])).join(','),
  ];
}

// The generator runs in a copy of the repository (sharing node_modules), so the checkout under
// test is never modified, whatever happens; the copy is removed at the end.
describe('npm run new:service', () => {
  let repo: RepoCopy;
  let nats: NatsEndpoint;
  let before: string[];

  beforeAll(async () => {
    [repo, nats] = await Promise.all([copyRepo(), ensureNats()]);
    before = await snapshot(repo.dir);
  });

  afterAll(async () => {
    await nats?.release();
    await repo?.remove();
  });

  describe('refusals', () => {
    it.each([
      ['', /a service name is required/],
      ['Orders2', /invalid service name "Orders2": use lowercase letters, digits and single dashes/],
      ['../../etc', /invalid service name/],
      ['a;rm -rf /', /invalid service name/],
      ['x--y', /invalid service name/],
      ['-x', /invalid service name|Unknown option/],
      ['9lives', /invalid service name/],
      ['ünicode', /invalid service name/],
      ['constructor', /invalid service name "constructor": it is reserved/],
      ['a'.repeat(41), /longer than 40 characters/],
      ['orders', /a service named "orders" already exists: a project in nest-cli.json, an app in deployment\/dev-config.yaml, apps\/orders/],
      ['common', /a service named "common" already exists: a project in nest-cli.json, libs\/common/],
    ])('refuses %j with a clear error, exit 1 and nothing written', async (name, message) => {
      const result = await runNode([GENERATOR, '--', name], { cwd: repo.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(await snapshot(repo.dir)).toEqual(before);
    });

    it('refuses a port another app uses', async () => {
      const result = await runNode([GENERATOR, NAME, '--port', '8202'], { cwd: repo.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/port 8202 is already used by orders/);
      expect(await snapshot(repo.dir)).toEqual(before);
    });
  });

  describe('a generated service', () => {
    it('is written and registered in nest-cli.json and deployment/dev-config.yaml, existing entries unchanged', async () => {
      const result = await runNode([GENERATOR, NAME], { cwd: repo.dir });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      for (const file of ['main.ts', `${NAME}.module.ts`, `${NAME}.controller.ts`, `${NAME}.controller.spec.ts`, `${NAME}.config.spec.ts`, 'dto/greet.dto.ts']) {
        expect(result.stdout).toContain(`apps/${NAME}/src/${file}`);
      }
      expect(result.stdout).toContain(`test/apps/${NAME}.e2e-spec.ts`);

      const nestCli = JSON.parse(await readFile(join(repo.dir, 'nest-cli.json'), 'utf8'));
      const oldNestCli = JSON.parse(before[0]!);
      expect(nestCli.projects[NAME]).toEqual({ type: 'application', root: `apps/${NAME}`, entryFile: 'main', sourceRoot: `apps/${NAME}/src` });
      expect({ ...nestCli, projects: { ...nestCli.projects, [NAME]: undefined } }).toEqual({ ...oldNestCli, projects: { ...oldNestCli.projects, [NAME]: undefined } });

      const devConfigText = await readFile(join(repo.dir, 'deployment/dev-config.yaml'), 'utf8');
      expect(devConfigText.startsWith(before[1]!)).toBe(true);
      expect(parse(devConfigText).apps[NAME]).toEqual({ port: 8601, instances: 1 });
      const deploy = await loadDeployConfig(join(repo.dir, 'deployment/dev-config.yaml'), {});
      expect(deploy.apps.find((app) => app.name === NAME)).toMatchObject({
        entry: join(repo.dir, `dist/apps/${NAME}/src/main.js`),
        port: 8601,
        instances: 1,
        healthPath: '/health/ready',
      });

      const again = await runNode([GENERATOR, NAME], { cwd: repo.dir });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(`a service named "${NAME}" already exists`);
    });

    it('passes its own unit and e2e tests as generated', async () => {
      const result = await runNode(
        ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', JEST_CLI, '--runInBand', '--ci', `apps/${NAME}/`, `test/apps/${NAME}.e2e-spec.ts`],
        { cwd: repo.dir, env: { NATS_URL: nats.url }, timeoutMs: 90_000 },
      );
      const output = result.stdout + result.stderr;
      expect({ code: result.code, output }).toMatchObject({ code: 0 });
      expect(output).toMatch(/PASS unit apps\/price-alerts\/src\/price-alerts\.controller\.spec\.ts/);
      expect(output).toMatch(/PASS unit apps\/price-alerts\/src\/price-alerts\.config\.spec\.ts/);
      expect(output).toMatch(/PASS e2e test\/apps\/price-alerts\.e2e-spec\.ts/);
      expect(output).not.toMatch(/skipped|todo/);
    }, 90_000);

    it('type-checks with the repository settings', async () => {
      await writeFile(
        join(repo.dir, 'tsconfig.generated.json'),
        JSON.stringify({ extends: './tsconfig.json', include: [`apps/${NAME}/**/*.ts`, `test/apps/${NAME}.e2e-spec.ts`] }),
      );
      const result = await runNode([TSC_CLI, '-p', 'tsconfig.generated.json', '--noEmit'], { cwd: repo.dir, timeoutMs: 90_000 });
      expect({ code: result.code, output: result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
    }, 90_000);

    it('runs under `nest start --watch`, which rebuilds and restarts it when a file changes', async () => {
      const port = await freePort();
      const target = { servers: nats.url, subjectPrefix: uniquePrefix() };
      const watch = ChildService.start([NEST_CLI, 'start', NAME, '--watch'], {
        cwd: repo.dir,
        env: { NATS_URL: nats.url, NATS_SUBJECT_PREFIX: target.subjectPrefix, PORT: String(port) },
      });
      try {
        await watch.waitForLines(/price-alerts ready: HTTP/, 1, 45_000);
        expect(await httpStatus(port, '/health/ready')).toBe(200);
        await expect(callRpc(target, NAME, 'greet', { name: 'Ada' })).resolves.toEqual({ message: 'Hello, Ada!' });

        const controller = join(repo.dir, `apps/${NAME}/src/${NAME}.controller.ts`);
        await writeFile(controller, (await readFile(controller, 'utf8')).replace('`Hello, ${request.name}!`', '`Welcome, ${request.name}!`'));
        await watch.waitForLines(/shutdown complete/, 1, 30_000);
        await watch.waitForLines(/price-alerts ready: HTTP/, 2, 30_000);
        await waitUntil(
          async () => (await callRpc<{ message: string }>(target, NAME, 'greet', { name: 'Ada' }, { timeoutMs: 1000 }).catch(() => undefined))?.message === 'Welcome, Ada!',
          10_000,
          100,
        );
      } finally {
        await watch.stop();
      }
    }, 120_000);
  });
});
