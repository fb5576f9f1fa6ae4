import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureNats, freePort, type NatsEndpoint, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { ChildService, copyRepo, httpStatus, NEST_CLI, type RepoCopy, runNode } from './devloop-fixture.js';

async function builtFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => join(e.parentPath, e.name));
}

// `nest build <app>` as a developer runs it, in a copy of the repository, and the output run by plain node.
describe('nest build', () => {
  let repo: RepoCopy;
  let nats: NatsEndpoint;
  let service: ChildService | undefined;

  beforeAll(async () => {
    [repo, nats] = await Promise.all([copyRepo(), ensureNats()]);
  });

  afterAll(async () => {
    await service?.stop();
    await nats?.release();
    await repo?.remove();
  });

  it('compiles every app and library, and no test, with each @cliffracer/* import made relative', async () => {
    const result = await runNode([NEST_CLI, 'build', 'orders'], { cwd: repo.dir });
    expect(result).toMatchObject({ code: 0 });
    const files = await builtFiles(join(repo.dir, 'dist'));
    const { projects } = JSON.parse(await readFile(join(repo.dir, 'nest-cli.json'), 'utf8')) as { projects: Record<string, { type: string; sourceRoot: string }> };
    const apps = Object.values(projects).filter((p) => p.type === 'application');
    expect(apps.length).toBeGreaterThanOrEqual(5);
    for (const app of apps) expect(files).toContain(join(repo.dir, 'dist', app.sourceRoot, 'main.js'));
    expect(files).toContain(join(repo.dir, 'dist/libs/nats-transport/src/index.js'));
    expect(files.filter((f) => f.endsWith('.spec.js'))).toEqual([]);
    const aliased = [];
    for (const file of files) if (/from\s*["']@cliffracer\//.test(await readFile(file, 'utf8'))) aliased.push(file);
    expect(aliased).toEqual([]);
  });

  it('produces an app that node starts: healthy on HTTP, on NATS, and stopped cleanly by SIGTERM', async () => {
    const port = await freePort();
    service = ChildService.start(['dist/apps/orders/src/main.js'], {
      cwd: repo.dir,
      env: {
        NATS_URL: nats.url,
        NATS_SUBJECT_PREFIX: uniquePrefix(),
        PORT: String(port),
        DATA_DIR: 'memory',
        JWT_SECRET: 'devloop-test-secret-0123456789abcdef',
        DEBUG_MODE: 'false',
      },
    });
    await waitUntil(async () => (await httpStatus(port, '/health/ready')) === 200 || !service!.running, 45_000, 200);
    expect(await httpStatus(port, '/health/ready')).toBe(200);
    expect(await httpStatus(port, '/health/live')).toBe(200);

    await expect(service.stop()).resolves.toBe(0);
    expect(service.lines.at(-1)).toMatch(/shutdown complete/);
  }, 60_000);
});
