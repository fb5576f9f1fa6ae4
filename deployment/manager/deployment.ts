import { CliffracerError } from '@cliffracer/common';
import { formatSessionId } from '@cliffracer/debug-logger';
import { spawn } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeployConfig } from './deploy-config.js';
import { type InstancePlan, planInstances, type StatePaths, statePaths } from './deploy-plan.js';
import { deploymentSecret } from './deploy-secrets.js';
import { describeHealth, type HealthAnswer, waitForHealth } from './health.js';
import { nginxConfigPlan, renderNginxConfig } from './nginx-config.js';
import { findNginx, startNginx, testNginxConfig } from './nginx-process.js';
import { isAlive, readPidFile, removeAllPidFiles, removePidFile, trackedProcesses, waitForExit, writePidFile } from './pid-files.js';
import { takenPorts, waitForRelease } from './ports.js';

/** Starting or stopping failed; the message says what and where to look. */
export class DeployError extends CliffracerError {
  override readonly name = 'DeployError';

  constructor(message: string) {
    super(message, { code: 'DEPLOY' });
  }
}

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'run-instance.main.js');
/** Lines of a failed instance's log shown with the error. */
const LOG_TAIL_LINES = 20;

/**
 * Starts and stops a deployment: every instance of every app as a detached process tracked by
 * a PID file, each checked healthy before nginx is started in front of the public ones.
 */
export class Deployment {
  readonly paths: StatePaths;
  readonly instances: InstancePlan[];

  constructor(
    readonly config: DeployConfig,
    private readonly say: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.paths = statePaths(config);
    this.instances = planInstances(config);
  }

  /**
   * Writes the nginx configuration (`keep`: leaves the file there as it is) and checks it with
   * `nginx -t` when `validate`; resolves its path.
   */
  async writeNginxConfig(options: { output?: string; validate?: boolean; keep?: boolean } = {}): Promise<string> {
    const file = options.output ?? this.paths.nginxConf;
    await mkdir(dirname(file), { recursive: true });
    if (!options.keep) await writeFile(file, renderNginxConfig(this.config, { runAsRoot: process.getuid?.() === 0 }));
    if (options.validate) {
      await mkdir(this.paths.logs, { recursive: true });
      await mkdir(this.paths.pids, { recursive: true });
      await mkdir(this.paths.nginxTemp, { recursive: true });
      await testNginxConfig(await findNginx(this.config.nginx.binary), { ...this.paths, nginxConf: file }, this.config.stateDir);
    }
    return file;
  }

  /**
   * Writes the state folder's nginx configuration when `start` needs to (see
   * `nginxConfigPlan`: kept when edited and the YAML did not change, unless `regenerate`),
   * then checks it with `nginx -t`, always: nginx would refuse a broken one anyway, after the
   * instances were started.
   */
  private async prepareNginxConfig(regenerate: boolean): Promise<void> {
    const file = this.paths.nginxConf;
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    const plan = nginxConfigPlan(existing, renderNginxConfig(this.config, { runAsRoot: process.getuid?.() === 0 }), regenerate);
    if (plan.why !== undefined) this.say(`nginx: ${file} ${plan.why}`);
    await this.writeNginxConfig({ validate: true, keep: !plan.write });
  }

  /** Starts the deployment; `generateNginx` rewrites an edited nginx configuration. */
  async start(options: { generateNginx?: boolean } = {}): Promise<void> {
    await this.refuseIfRunning();
    await this.checkEntries();
    const taken = await takenPorts([
      ...this.instances.map((i) => ({ owner: i.name, port: i.port })),
      { owner: 'nginx', port: this.config.nginx.port, host: this.config.nginx.host },
    ]);
    if (taken.length > 0) throw new DeployError(`ports in use: ${taken.map((t) => `${t.port} (${t.owner})`).join(', ')}`);
    const nginx = await findNginx(this.config.nginx.binary);
    await this.prepareNginxConfig(options.generateNginx ?? false);
    const env = await this.sharedEnv();
    try {
      for (const instance of this.instances) await this.spawnInstance(instance, env);
      this.say(`started ${this.instances.length} instance(s); waiting for their health checks...`);
      await this.requireHealthy();
      await startNginx(nginx, this.paths, this.config.stateDir);
      await this.requireNginx();
    } catch (error) {
      // Whatever did start is stopped again: a failed start leaves nothing running.
      await this.stop();
      throw error;
    }
    const url = `http://${this.config.nginx.host}:${this.config.nginx.port}`;
    this.say(`ready: ${url} (nginx → ${this.instances.filter((i) => i.app.public).map((i) => i.name).join(', ')}); logs in ${this.paths.logs}`);
  }

  private async requireHealthy(): Promise<void> {
    const unhealthy = await this.waitUntilHealthy();
    if (unhealthy.length === 0) return;
    const report = await Promise.all(
      unhealthy.map(async ({ instance: i, answer }) => `${i.name} (${i.healthUrl}) is not healthy (${describeHealth(answer)}); last log lines:\n${await this.logTail(i.logFile)}`),
    );
    throw new DeployError(report.join('\n'));
  }

  private async requireNginx(): Promise<void> {
    const gateway = this.config.apps.find((app) => app.public)!;
    const url = `http://${this.config.nginx.host}:${this.config.nginx.port}${gateway.healthPath}`;
    const answer = await waitForHealth(url, this.config.health.attempts, this.config.health.intervalMs);
    if (!answer.ok) throw new DeployError(`nginx does not pass ${gateway.healthPath} through to ${gateway.name}: ${answer.error ?? answer.status}; see ${this.paths.nginxErrorLog}`);
  }

  /**
   * Stops nginx (SIGQUIT: finish open requests) and every instance (SIGTERM: finish in-flight
   * work, drain), each killed with its process group after the stop timeout; removes the PID
   * files. Resolves the ports still taken afterwards.
   */
  async stop(timeoutMs = this.config.stopTimeoutMs): Promise<number[]> {
    const tracked = await trackedProcesses(this.paths.pids);
    const nginx = tracked.find((t) => t.name === 'nginx');
    if (nginx !== undefined) await this.terminate(nginx.pid, 'SIGQUIT', timeoutMs, 'nginx');
    await Promise.all(tracked.filter((t) => t !== nginx).map((t) => this.terminate(t.pid, 'SIGTERM', timeoutMs, t.name)));
    await removeAllPidFiles(this.paths.pids);
    const taken = await waitForRelease([...this.instances.map((i) => i.port), this.config.nginx.port], timeoutMs);
    this.say(tracked.length === 0 ? 'nothing was running' : `stopped ${tracked.length} process(es)`);
    return taken;
  }

  // A process that outlives its grace is killed with its group (the app under a runner, nginx's workers).
  private async terminate(pid: number, signal: NodeJS.Signals, timeoutMs: number, name: string): Promise<void> {
    if (!isAlive(pid)) return;
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitForExit(pid, timeoutMs)) return;
    this.say(`${name} (pid ${pid}) did not stop within ${timeoutMs}ms: killing it`);
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // Already gone, or not a group leader.
      }
    }
    await waitForExit(pid, 2000);
  }

  private async refuseIfRunning(): Promise<void> {
    const tracked = await trackedProcesses(this.paths.pids);
    const alive = tracked.filter((t) => isAlive(t.pid));
    if (alive.length > 0) throw new DeployError(`already running: ${alive.map((t) => t.name).join(', ')}; stop or restart it`);
    // PID files of processes that died without the manager: nothing to stop.
    await Promise.all(tracked.map((t) => removePidFile(t.pidFile)));
  }

  private async checkEntries(): Promise<void> {
    for (const app of this.config.apps) {
      if (!(await access(app.entry).then(() => true, () => false))) throw new DeployError(`${app.entry} of ${app.name} is missing: run npm run build first`);
    }
  }

  /** What every instance gets: the config's environment and the deployment's shared secrets. */
  private async sharedEnv(): Promise<NodeJS.ProcessEnv> {
    const env = { ...process.env, ...this.config.env };
    return {
      ...env,
      JWT_SECRET: env.JWT_SECRET || (await deploymentSecret(this.paths.secrets, 'jwt-secret', 32)),
      BACKDOOR_TOKEN: env.BACKDOOR_TOKEN || (await deploymentSecret(this.paths.secrets, 'backdoor-token', 24)),
      // One debug session for every instance of one start.
      DEBUG_SESSION_ID: env.DEBUG_SESSION_ID || formatSessionId(),
    };
  }

  // The state folders (logs, pids) exist: start validated the nginx configuration first.
  private async spawnInstance(instance: InstancePlan, shared: NodeJS.ProcessEnv): Promise<void> {
    const spec = { name: instance.name, entry: instance.app.entry, logFile: instance.logFile, unifiedLog: this.paths.unifiedLog };
    const env = { ...shared, ...instance.app.env, PORT: String(instance.port), HOST: '127.0.0.1', CLIFFRACER_INSTANCE: instance.name, CLIFFRACER_RUN_SPEC: JSON.stringify(spec) };
    const child = spawn(process.execPath, [RUNNER], { env, detached: true, stdio: 'ignore', cwd: this.config.root });
    child.unref();
    await writePidFile(instance.pidFile, child.pid!);
  }

  /** The instances that did not become ready (or died) within the health attempts, with their last answer. */
  private async waitUntilHealthy(): Promise<Array<{ instance: InstancePlan; answer: HealthAnswer }>> {
    const { attempts, intervalMs } = this.config.health;
    const results = await Promise.all(
      this.instances.map(async (instance) => {
        const pid = (await readPidFile(instance.pidFile))?.pid;
        const answer = await waitForHealth(instance.healthUrl, attempts, intervalMs, () => pid === undefined || !isAlive(pid));
        return answer.ok ? undefined : { instance, answer };
      }),
    );
    return results.filter((r) => r !== undefined);
  }

  private async logTail(file: string): Promise<string> {
    const text = await readFile(file, 'utf8').catch(() => '(no log)');
    return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).map((line) => `  | ${line}`).join('\n');
  }
}
