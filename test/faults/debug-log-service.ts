import { CorrelationContext } from '@cliffracer/correlation';
import { DebugLogger, DebugLoggerModule } from '@cliffracer/debug-logger';
import { NatsClient } from '@cliffracer/nats-transport';
import { createTestApp, type TestApp } from '@cliffracer/testing';
import { readFile } from 'node:fs/promises';
import { RecordController } from './record.controller.js';

/**
 * A service in debug mode, writing a JSON line per handled RPC into `dir` (sampling off, so
 * every line is accounted for, whatever the load); and a caller.
 */
export interface DebugLogService {
  service: TestApp;
  caller: NatsClient;
  /** The file of the `rpc` category. */
  rpcFile: string;
  /** Calls `ledger.record` with `id` as its correlation ID, so its log line names it. */
  call(id: string): Promise<string>;
  close(): Promise<void>;
}

export async function startDebugLogService(nats: string, dir: string): Promise<DebugLogService> {
  const service = await createTestApp({
    nats: { service: 'ledger', servers: nats },
    imports: [DebugLoggerModule.forRoot({ service: 'ledger', enabled: true, dir, sessionId: '20260101_000000', flushIntervalMs: 50, timingsPerSecond: 0 })],
    controllers: [RecordController],
    logger: false,
  });
  const caller = new NatsClient({ service: 'caller', servers: nats });
  return {
    service,
    caller,
    rpcFile: service.app.get(DebugLogger).fileOf('rpc'),
    call: (id) => CorrelationContext.run(id, () => caller.call<string>('ledger', 'record', { id })),
    async close() {
      await caller.close();
      await service.close();
    },
  };
}

/** The entries of a JSON-lines file; throws on a line that is not whole JSON. */
export async function jsonLines(file: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(file, 'utf8');
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${file} ends inside a line`);
  return text.split('\n').filter((line) => line !== '').map((line, n) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`${file} line ${n + 1} is not whole JSON: ${line.slice(0, 120)}`);
    }
  });
}
