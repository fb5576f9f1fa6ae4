import { join } from 'node:path';
import type { AppSpec, DeployConfig } from './deploy-config.js';

/** One process of the deployment: an app's instance. */
export interface InstancePlan {
  /** `<app>-<index>`, as in logs, PID files and `/health`. */
  name: string;
  app: AppSpec;
  index: number;
  port: number;
  healthUrl: string;
  pidFile: string;
  logFile: string;
}

/** Where a deployment keeps its state, all under `stateDir`. */
export interface StatePaths {
  pids: string;
  logs: string;
  unifiedLog: string;
  nginxConf: string;
  nginxPid: string;
  nginxTemp: string;
  nginxErrorLog: string;
  nginxAccessLog: string;
  secrets: string;
}

export function statePaths(config: DeployConfig): StatePaths {
  const { stateDir } = config;
  const logs = join(stateDir, 'logs');
  const pids = join(stateDir, 'pids');
  return {
    pids,
    logs,
    unifiedLog: join(logs, 'backend-unified.log'),
    nginxConf: join(stateDir, 'nginx.conf'),
    nginxPid: join(pids, 'nginx.pid'),
    nginxTemp: join(stateDir, 'nginx-temp'),
    nginxErrorLog: join(logs, 'nginx-error.log'),
    nginxAccessLog: join(logs, 'nginx-access.log'),
    secrets: join(stateDir, 'secrets'),
  };
}

/** Every instance of every app, in the order the config lists the apps. */
export function planInstances(config: DeployConfig): InstancePlan[] {
  const paths = statePaths(config);
  return config.apps.flatMap((app) =>
    Array.from({ length: app.instances }, (_, index) => {
      const name = `${app.name}-${index}`;
      const port = app.port + index;
      return {
        name,
        app,
        index,
        port,
        healthUrl: `http://127.0.0.1:${port}${app.healthPath}`,
        pidFile: join(paths.pids, `${name}.pid`),
        logFile: join(paths.logs, `${name}.log`),
      };
    }),
  );
}
