import type { DeployConfig } from './deploy-config.js';
import { planInstances, statePaths } from './deploy-plan.js';
import { checkHealth, describeHealth } from './health.js';
import { isAlive, readPidFile } from './pid-files.js';

/** One row of `status`: a process of the deployment and how it is doing. */
export interface ProcessStatus {
  name: string;
  pid?: number;
  port: number;
  state: 'running' | 'stopped' | 'dead';
  health: string;
  uptimeSeconds?: number;
}

/** The state of every planned instance and of nginx: PID file, process, health answer. */
export async function deploymentStatus(config: DeployConfig): Promise<ProcessStatus[]> {
  const paths = statePaths(config);
  const publicApp = config.apps.find((app) => app.public)!;
  const rows = [
    ...planInstances(config).map((i) => ({ name: i.name, pidFile: i.pidFile, port: i.port, url: i.healthUrl })),
    { name: 'nginx', pidFile: paths.nginxPid, port: config.nginx.port, url: `http://${config.nginx.host}:${config.nginx.port}${publicApp.healthPath}` },
  ];
  return Promise.all(
    rows.map(async (row): Promise<ProcessStatus> => {
      const tracked = await readPidFile(row.pidFile);
      if (tracked === undefined) return { name: row.name, port: row.port, state: 'stopped', health: '-' };
      if (!isAlive(tracked.pid)) return { name: row.name, pid: tracked.pid, port: row.port, state: 'dead', health: '-' };
      const health = describeHealth(await checkHealth(row.url));
      return { name: row.name, pid: tracked.pid, port: row.port, state: 'running', health, uptimeSeconds: Math.round((Date.now() - tracked.since.getTime()) / 1000) };
    }),
  );
}

/** The status as an aligned table. */
export function formatStatus(rows: ProcessStatus[]): string {
  const table = [['NAME', 'PID', 'PORT', 'STATE', 'HEALTH', 'UPTIME'], ...rows.map((r) => [r.name, String(r.pid ?? '-'), String(r.port), r.state, r.health, r.uptimeSeconds === undefined ? '-' : `${r.uptimeSeconds}s`])];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

/** Healthy means every process runs and answers its health check. */
export function allHealthy(rows: ProcessStatus[]): boolean {
  return rows.every((row) => row.state === 'running' && row.health.startsWith('ok'));
}
