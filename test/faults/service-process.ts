import { buildFixture, FixtureProcess } from '../support/fixture-process.js';

let built: string | undefined;

/** Builds the ledger service the fault scenarios run as processes (and the packages it imports). */
export async function buildLedgerService(): Promise<void> {
  built = await buildFixture('test/faults/fixtures/ledger-service.ts');
}

/** The ledger service as a child process. */
export class LedgerServiceProcess extends FixtureProcess {
  /** Starts the built service with `env`, on the shared database never; resolves once it is ready. */
  static async start(env: Record<string, string>): Promise<LedgerServiceProcess> {
    if (built === undefined) throw new Error('call buildLedgerService() first');
    const service = new LedgerServiceProcess(FixtureProcess.spawnService(built, env, ['DATABASE_URL']));
    await service.waitForLine(/ ready: HTTP/, 30_000).catch((error: unknown) => {
      if (service.running) throw error;
    });
    if (!service.running) throw new Error(`the ledger service exited at start:\n${service.lines.join('\n')}`);
    return service;
  }

  /** Ids of the requests whose side effect this process logged, once per log line. */
  effects(): string[] {
    return this.lines.flatMap((line) => /\[Ledger\] (?:\[cid=[^\]]*\] )?effect (\S+)/.exec(line)?.[1] ?? []);
  }
}
