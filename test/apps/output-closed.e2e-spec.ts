import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureNats, freePort, type NatsEndpoint, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('a shop service whose output reader goes away', () => {
  let nats: NatsEndpoint;

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet'], { cwd: ROOT });
    nats = await ensureNats();
  }, 60_000);

  afterAll(async () => {
    await nats.release();
  });

  it('shuts down, rather than spinning on the failed writes, once its output pipe is closed', async () => {
    const port = await freePort();
    const { BACKDOOR_TOKEN: _token, ...inherited } = process.env;
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps/gateway/src/main.js')], {
      env: { ...inherited, NATS_URL: nats.url, NATS_SUBJECT_PREFIX: uniquePrefix(), JWT_SECRET: randomBytes(32).toString('hex'), PORT: String(port), DEBUG_MODE: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    try {
      await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.status === 200, 60_000, 200);
      // The reader goes as a killed parent's would: every later write of the service fails (EPIPE).
      child.stdout.destroy();
      child.stderr.destroy();
      // A refused request makes the service log a line.
      await fetch(`http://127.0.0.1:${port}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => undefined);
      const [code] = (await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000, ['still running']))])) as [unknown];
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);
});
