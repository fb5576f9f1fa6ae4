import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BackdoorModule, type BackdoorModuleOptions } from '@cliffracer/backdoor';
import { CorrelationContext } from '@cliffracer/correlation';
import { DebugLogger, DebugLoggerModule } from '@cliffracer/debug-logger';
import { Rpc } from '@cliffracer/nats-transport';
import { callRpc, createTestApp, ensureNats, type NatsEndpoint, type TestApp, uniquePrefix, waitUntil } from '@cliffracer/testing';
import { Controller, Injectable, type LoggerService } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TcpSession } from './tcp-session.js';

const TOKEN = 'backdoor-test-token-1234';
const execFileAsync = promisify(execFile);

@Injectable()
class Stock {
  count = 7;
}

@Controller()
class ShopController {
  release?: () => void;

  @Rpc()
  echo(@Payload() body: unknown) {
    return body;
  }

  @Rpc()
  async hold() {
    await new Promise<void>((resolve) => {
      this.release = resolve;
    });
    return 'released';
  }
}

describe('backdoor', () => {
  let nats: NatsEndpoint;
  let prefix: string;
  let dir: string;
  const apps: TestApp[] = [];

  // Each app has its own prefix, so an RPC reaches the app the test looks at.
  const start = async (options: Partial<BackdoorModuleOptions> = {}, logger: LoggerService | false = false) => {
    prefix = uniquePrefix();
    const app = await createTestApp({
      nats: { service: 'shop', servers: nats.url, subjectPrefix: prefix },
      imports: [
        BackdoorModule.forRoot({ token: TOKEN, ...options }),
        DebugLoggerModule.forRoot({ enabled: true, dir, service: 'shop', flushIntervalMs: 20 }),
      ],
      controllers: [ShopController],
      providers: [Stock],
      logger,
    });
    apps.push(app);
    const port = app.app.get(BackdoorModule).backdoor?.address()?.port;
    return { app, port: port! };
  };
  const login = async (port: number) => {
    const session = await TcpSession.open(port);
    await session.until('Token: ');
    session.write(`${TOKEN}\n`);
    await session.until('>>> ');
    return session;
  };

  beforeAll(async () => {
    nats = await ensureNats();
    dir = await mkdtemp(join(tmpdir(), 'backdoor-'));
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await rm(dir, { recursive: true, force: true });
    await nats.release();
  });

  describe('login', () => {
    let port: number;
    beforeAll(async () => {
      ({ port } = await start());
    });

    it('listens on loopback only', async () => {
      expect(apps[0].app.get(BackdoorModule).backdoor?.address()?.address).toBe('127.0.0.1');
    });

    it('shows the banner after the right token', async () => {
      const session = await login(port);
      expect(session.output).toContain('Cliffracer Backdoor - Live Service Debugging');
      expect(session.output).toContain('Service: shop');
      expect(session.output).toContain('help_backdoor()');
      session.end();
    });

    it('closes the connection on a wrong token without evaluating anything', async () => {
      const session = await TcpSession.open(port);
      await session.until('Token: ');
      session.write('process.exit(1)\n');
      await session.until('authentication failed');
      await session.waitClosed();
    });

    it('closes a session whose line is longer than the limit', async () => {
      const session = await login(port);
      session.write(`"${'x'.repeat(70_000)}"\n`);
      await session.until('input line longer than 65536 bytes');
      await session.waitClosed();
    });
  });

  describe('helpers', () => {
    let session: TcpSession;
    let app: TestApp;
    let port: number;

    beforeAll(async () => {
      ({ app, port } = await start());
      await callRpc({ servers: nats.url, subjectPrefix: prefix }, 'shop', 'echo', { warm: true });
      session = await login(port);
    });
    afterAll(() => session.end());

    it('help_backdoor() lists the commands', async () => {
      expect(await session.run('help_backdoor()')).toContain('list_workers()');
    });

    it('inspect_service() shows name, handlers, uptime and memory', async () => {
      const out = await session.run('inspect_service()');
      expect(out).toContain('service_name: shop');
      expect(out).toContain(`rpc ${prefix}.shop.echo`);
      expect(out).toMatch(/uptime: [\d.]+ s/);
      expect(out).toMatch(/memory: rss [\d.]+ MB/);
    });

    it('inspect_nats() shows the server, state and traffic', async () => {
      const out = await session.run('inspect_nats()');
      expect(out).toContain('state: connected');
      expect(out).toMatch(/in: \d+ msgs, \d+ bytes/);
    });

    it('list_subs() shows each subject with its queue group', async () => {
      expect(await session.run('list_subs()')).toContain(`rpc   ${prefix}.shop.hold (queue: shop)`);
    });

    it('list_workers() shows a running handler with its age and correlation ID', async () => {
      const held = CorrelationContext.run('held-cid-1', () => callRpc({ servers: nats.url, subjectPrefix: prefix }, 'shop', 'hold'));
      const controller = app.app.get(ShopController);
      await waitUntil(() => controller.release !== undefined);
      const out = await session.run('list_workers()');
      expect(out).toContain('Active workers (1)');
      expect(out).toMatch(new RegExp(`${prefix}\\.shop\\.hold  \\d+ ms  cid=held-cid-1`));
      controller.release!();
      await held;
    });

    it('show_metrics() shows per-handler counts and percentiles', async () => {
      expect(await session.run('show_metrics()')).toMatch(/shop\.echo\s+rpc\s+count=1 errors=0 p50=[\d.]+ms p99=[\d.]+ms/);
    });

    it('calls an RPC with top-level await', async () => {
      expect(await session.run("await call('shop', 'echo', { sku: 'A-1', n: 2 })")).toContain("{ sku: 'A-1', n: 2 }");
    });

    it('reaches providers through get() and app', async () => {
      expect(await session.run("get('Stock').count")).toContain('7');
      expect(await session.run("typeof get('ShopController').echo")).toContain("'function'");
      expect(await session.run('app.get(client.constructor) === client')).toContain('true');
      expect(await session.run('nats.isClosed()')).toContain('false');
    });

    it('logs typed commands with their secrets redacted', async () => {
      await session.run("const creds = { user: 'ann', password: 'hunter2-typed-in' }");
      const debug = app.app.get(DebugLogger);
      await debug.flush();
      const log = await readFile(debug.fileOf('backdoor'), 'utf8');
      const entry = log.split('\n').find((line) => line.includes('const creds'));
      expect(entry).toContain("user: 'ann', password: [REDACTED]");
      expect(log).not.toContain('hunter2-typed-in');
    });

    it('reads the debug logs of a category', async () => {
      expect(await session.run("await debug_logs('backdoor', 50)")).toContain('backdoor.command');
    });

    it('survives errors thrown in the session', async () => {
      expect(await session.run("throw new Error('boom')")).toContain('boom');
      expect(await session.run("await Promise.reject(new Error('late boom'))")).toContain('late boom');
      expect(await session.run('1 + 1')).toContain('2');
    });

    it('exit() closes the session and the service keeps answering', async () => {
      const other = await login(port);
      other.write('exit()\n');
      await other.waitClosed();
      await expect(callRpc({ servers: nats.url, subjectPrefix: prefix }, 'shop', 'echo', 'still here')).resolves.toBe('still here');
    });
  });

  describe('limits', () => {
    it('refuses logins after too many failures, whatever the client', async () => {
      const { port } = await start({ maxAuthFailures: 2, authWindowMs: 60_000 });
      for (let i = 0; i < 2; i += 1) {
        const bad = await TcpSession.open(port);
        await bad.until('Token: ');
        bad.write('wrong-token-guess\n');
        await bad.waitClosed();
      }
      const good = await TcpSession.open(port);
      await good.until('too many failed logins');
      await good.waitClosed();
    });

    it('lets the right token in once the lockout has passed, however many connections were refused meanwhile', async () => {
      const { port } = await start({ maxAuthFailures: 2, authWindowMs: 300, lockoutMs: 300, maxSessions: 2 });
      for (let i = 0; i < 2; i += 1) {
        const bad = await TcpSession.open(port);
        await bad.until('Token: ');
        bad.write('wrong-token-guess\n');
        await bad.waitClosed();
      }
      for (let i = 0; i < 5; i += 1) {
        const refused = await TcpSession.open(port);
        await refused.until('too many failed logins');
        await refused.waitClosed();
      }
      await new Promise((resolve) => setTimeout(resolve, 400));
      const good = await login(port);
      expect(good.output).toContain('Service: shop');
      good.end();
    });

    it('refuses the token on a connection opened before the lockout', async () => {
      const { port } = await start({ maxAuthFailures: 1 });
      const early = await TcpSession.open(port);
      await early.until('Token: ');
      const bad = await TcpSession.open(port);
      await bad.until('Token: ');
      bad.write('wrong-token-guess\n');
      await bad.waitClosed();
      early.write(`${TOKEN}\n`);
      await early.until('too many failed logins');
      await early.waitClosed();
      expect(early.output).not.toContain('>>> ');
    });

    it('closes an idle session', async () => {
      const { port } = await start({ idleTimeoutMs: 200 });
      const session = await login(port);
      await session.until('session idle too long', 0, 2000);
      await session.waitClosed();
    });

    it('refuses sessions beyond the maximum', async () => {
      const { port } = await start({ maxSessions: 1 });
      const first = await login(port);
      const second = await TcpSession.open(port);
      await second.until('too many backdoor sessions (max 1)');
      first.end();
    });

    it('closes connections past the maximum at once, however many, and still lets a login in', async () => {
      const { app, port } = await start({ maxSessions: 1 });
      const backdoor = app.app.get(BackdoorModule).backdoor!;
      const first = await login(port);
      const flood = await Promise.all(Array.from({ length: 200 }, () => TcpSession.open(port, '127.0.0.1', { allowHalfOpen: true })));
      await Promise.all(flood.map((client) => client.until('too many backdoor sessions (max 1)')));
      await waitUntil(async () => (await backdoor.connectionCount()) === 1, 1000);
      first.end();
      await waitUntil(async () => (await backdoor.connectionCount()) === 0);
      const next = await login(port);
      expect(next.output).toContain('Service: shop');
      next.end();
      for (const client of flood) client.end();
    });
  });

  describe('REPL commands', () => {
    let port: number;
    beforeAll(async () => {
      ({ port } = await start());
    });

    it('.save writes no file', async () => {
      const session = await login(port);
      const file = join(dir, 'saved-session.js');
      await session.run('const kept = 1');
      expect(await session.run(`.save ${file}`)).toContain('.save is disabled in the backdoor');
      await expect(access(file)).rejects.toMatchObject({ code: 'ENOENT' });
      session.end();
    });

    it('.load reads no file', async () => {
      const session = await login(port);
      const file = join(dir, 'to-load.js');
      await writeFile(file, 'globalThis.loadedFromFile = 42\n');
      expect(await session.run(`.load ${file}`)).toContain('.load is disabled in the backdoor');
      expect(await session.run('typeof loadedFromFile')).toContain("'undefined'");
      session.end();
    });

    it('.editor does not exist, so each line is evaluated (under the time limit) as it comes', async () => {
      const session = await login(port);
      expect(await session.run('.editor')).toContain('Invalid REPL keyword');
      expect(await session.run('6 * 7')).toContain('42');
      session.end();
    });

    it('.exit closes the session only', async () => {
      const session = await login(port);
      session.write('.exit\n');
      await session.waitClosed();
      await expect(callRpc({ servers: nats.url, subjectPrefix: prefix }, 'shop', 'echo', 'still here')).resolves.toBe('still here');
    });
  });

  describe('time limit', () => {
    let session: TcpSession;

    beforeAll(async () => {
      const { port } = await start({ evalTimeoutMs: 300 });
      session = await login(port);
    });
    afterAll(() => session.end());

    it('stops an endless loop at the limit; the service and the session go on', async () => {
      let ticks = 0;
      const ticker = setInterval(() => {
        ticks += 1;
      }, 10);
      try {
        const started = Date.now();
        expect(await session.run('while (true) {}')).toContain('Script execution timed out after 300ms');
        expect(Date.now() - started).toBeLessThan(1500);
        const before = ticks;
        await expect(callRpc({ servers: nats.url, subjectPrefix: prefix }, 'shop', 'echo', 'still here')).resolves.toBe('still here');
        await waitUntil(() => ticks >= before + 3);
        expect(await session.run('6 * 7')).toContain('42');
      } finally {
        clearInterval(ticker);
      }
    });

    it('stops an endless loop before the first await of a line', async () => {
      expect(await session.run('while (true) {} await 0')).toContain('Script execution timed out after 300ms');
    });

    it('keeps a name declared with await, and reads code over several lines', async () => {
      await session.run("const echoed = await call('shop', 'echo', { n: 5 })");
      expect(await session.run('echoed.n')).toContain('5');
      const from = session.output.length;
      session.write('function twice(x) {\n');
      await session.until('... ', from);
      expect(await session.run('return 2 * x }; twice(21)')).toContain('42');
    });
  });

  describe('port in use', () => {
    it('logs one error line, keeps the backdoor off and runs the service', async () => {
      const taken = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      const errors: string[] = [];
      const logger: LoggerService = {
        log: () => undefined,
        warn: () => undefined,
        error: (message: unknown, ...rest: unknown[]) => {
          if (rest.at(-1) === 'Backdoor') errors.push(String(message));
        },
      };
      try {
        const { app } = await start({ port }, logger);
        expect(app.app.get(BackdoorModule).backdoor).toBeUndefined();
        await expect(callRpc({ servers: nats.url, subjectPrefix: prefix }, 'shop', 'echo', 'still here')).resolves.toBe('still here');
        expect(errors).toEqual([expect.stringContaining(`127.0.0.1:${port}`)]);
        expect(errors[0]).toContain('EADDRINUSE');
        expect(errors[0]).not.toContain('\n');
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    });
  });

  describe('disabled', () => {
    it('does not listen in production', async () => {
      const previous = process.env.CLIFFRACER_ENV;
      process.env.CLIFFRACER_ENV = 'production';
      try {
        const { app } = await start();
        expect(app.app.get(BackdoorModule).backdoor).toBeUndefined();
      } finally {
        if (previous === undefined) delete process.env.CLIFFRACER_ENV;
        else process.env.CLIFFRACER_ENV = previous;
      }
    });
  });
});

describe('backdoor CLI client', () => {
  it('logs in with BACKDOOR_TOKEN and evaluates what it is given', async () => {
    const nats = await ensureNats();
    const app = await createTestApp({
      nats: { service: 'cli', servers: nats.url, subjectPrefix: uniquePrefix() },
      imports: [BackdoorModule.forRoot({ token: TOKEN })],
      logger: false,
    });
    try {
      const port = app.app.get(BackdoorModule).backdoor!.address()!.port;
      await execFileAsync(process.execPath, ['scripts/build.mjs', '--if-stale', '--quiet']);
      const child = spawn(process.execPath, ['libs/backdoor/dist/cli/backdoor.main.js', `localhost:${port}`], {
        env: { ...process.env, BACKDOOR_TOKEN: TOKEN, HOME: tmpdir() },
      });
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += String(chunk);
      });
      await waitUntil(() => out.includes('Service: cli'));
      child.stdin.write('6 * 7\n');
      await waitUntil(() => out.includes('42'));
      child.stdin.write('exit()\n');
      await waitUntil(() => out.includes('connection closed'));
      child.kill();
    } finally {
      await app.close();
      await nats.release();
    }
  });
});
