import { CliffracerError } from '@cliffracer/common';
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { StatePaths } from './deploy-plan.js';

const run = promisify(execFile);
/** Where distributions put nginx, which is often not on a user's PATH. */
const SYSTEM_DIRS = ['/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin'];

/** nginx refused to start or to accept a configuration; the message has its own words. */
export class NginxError extends CliffracerError {
  override readonly name = 'NginxError';

  constructor(message: string) {
    super(message, { code: 'NGINX' });
  }
}

/** The nginx executable: `binary` if it is a path, else found on PATH or in the system folders. */
export async function findNginx(binary: string): Promise<string> {
  if (binary.includes('/')) return binary;
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...SYSTEM_DIRS]) {
    const candidate = join(dir, binary);
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
  }
  throw new NginxError(`${binary} is not installed: run deployment/setup.sh (installs it from the distribution's packages)`);
}

/** Checks a configuration with `nginx -t`; throws nginx's own report when it is refused. */
export async function testNginxConfig(nginx: string, paths: StatePaths, stateDir: string): Promise<void> {
  try {
    await run(nginx, ['-t', '-q', ...commonArgs(paths, stateDir)]);
  } catch (error) {
    throw new NginxError(`nginx refused ${paths.nginxConf}: ${((error as { stderr?: string }).stderr ?? String(error)).trim()}`);
  }
}

/** Starts nginx as a daemon of its own (it writes its PID file, then returns). */
export async function startNginx(nginx: string, paths: StatePaths, stateDir: string): Promise<void> {
  try {
    await run(nginx, commonArgs(paths, stateDir));
  } catch (error) {
    throw new NginxError(`nginx did not start: ${((error as { stderr?: string }).stderr ?? String(error)).trim()}`);
  }
}

// -e: errors before the configuration is read go to the deployment's log, not /var/log.
function commonArgs(paths: StatePaths, stateDir: string): string[] {
  return ['-p', stateDir, '-c', paths.nginxConf, '-e', paths.nginxErrorLog];
}
