import { buildFixture, FixtureProcess } from '../support/fixture-process.js';

export type { Exit } from '../support/fixture-process.js';

let built: string | undefined;

/** Builds the slow shop service the lifecycle tests run (and the packages it imports). */
export async function buildSlowService(): Promise<void> {
  built = await buildFixture('test/lifecycle/fixtures/slow-service.ts');
}

/** The slow shop service as a child process. */
export class ServiceProcess extends FixtureProcess {
  /** Starts the built fixture with `env` on top of a quiet, self-contained service environment. */
  static start(env: Record<string, string>): ServiceProcess {
    if (built === undefined) throw new Error('call buildSlowService() first');
    return new ServiceProcess(FixtureProcess.spawnService(built, env));
  }
}
