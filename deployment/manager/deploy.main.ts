// `npm run deploy -- <command> [config]`: the deployment manager. See deployment/README.md.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeployConfig } from './deploy-config.js';
import { cleanLogs, follow, lastLines, logFileOf } from './deploy-logs.js';
import { allHealthy, deploymentStatus, formatStatus } from './deploy-status.js';
import { Deployment } from './deployment.js';

const USAGE = `usage: npm run deploy -- <command> [config] [options]
  start            start every instance (detached), check their health, then nginx in front
                   [--generate-nginx: rewrite an edited nginx.conf] [--validate: always done]
  stop             stop nginx (SIGQUIT) and every instance (SIGTERM, SIGKILL after --timeout)
  restart          stop, then start  [--generate-nginx]
  status           PID, port, state and health of every process (exit 1 unless all healthy)
  gen-nginx-conf   write the nginx configuration  [-o FILE] [--validate]
  logs             the unified log  [--process orders-0|nginx|nginx-access] [--lines N] [--follow]
  logs-clean       empty every log file (the files stay; running processes write on)
config: a YAML file (default: deployment/dev-config.yaml)
  --timeout SECONDS   grace of stop and restart (default: the config's stop_timeout_seconds)`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      timeout: { type: 'string' },
      output: { type: 'string', short: 'o' },
      validate: { type: 'boolean', default: false },
      'generate-nginx': { type: 'boolean', default: false },
      process: { type: 'string' },
      lines: { type: 'string', default: '50' },
      follow: { type: 'boolean', short: 'f', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, configFile = 'deployment/dev-config.yaml'] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  const config = await loadDeployConfig(resolve(configFile));
  const deployment = new Deployment(config);
  const timeoutMs = values.timeout === undefined ? undefined : Math.round(Number(values.timeout) * 1000);
  switch (command) {
    case 'start':
      await deployment.start({ generateNginx: values['generate-nginx'] });
      return 0;
    case 'stop':
      return reportPorts(await deployment.stop(timeoutMs));
    case 'restart':
      await deployment.stop(timeoutMs);
      await deployment.start({ generateNginx: values['generate-nginx'] });
      return 0;
    case 'status': {
      const rows = await deploymentStatus(config);
      process.stdout.write(`${formatStatus(rows)}\n`);
      return allHealthy(rows) ? 0 : 1;
    }
    case 'gen-nginx-conf':
      process.stdout.write(`${await deployment.writeNginxConfig({ output: values.output && resolve(values.output), validate: values.validate })}\n`);
      return 0;
    case 'logs':
      return showLogs(logFileOf(deployment.paths, deployment.instances, values.process), Number(values.lines), values.follow);
    case 'logs-clean': {
      const emptied = await cleanLogs(deployment.paths);
      process.stdout.write(emptied.length === 0 ? `no logs in ${deployment.paths.logs}\n` : `emptied ${emptied.length} log file(s) in ${deployment.paths.logs}: ${emptied.join(', ')}\n`);
      return 0;
    }
    default:
      process.stderr.write(`unknown command ${JSON.stringify(command)}\n${USAGE}\n`);
      return 2;
  }
}

function reportPorts(taken: number[]): number {
  if (taken.length === 0) return 0;
  process.stderr.write(`ports still taken after stop: ${taken.join(', ')}\n`);
  return 1;
}

async function showLogs(file: string, lines: number, following: boolean): Promise<number> {
  const text = await lastLines(file, Number.isInteger(lines) && lines > 0 ? lines : 50);
  if (text !== '') process.stdout.write(`${text}\n`);
  if (!following) return 0;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  await follow(file, (chunk) => process.stdout.write(chunk), stop.signal);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message ?? String(error)}\n`);
    process.exit(1);
  },
);
