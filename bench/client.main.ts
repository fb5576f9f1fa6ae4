// The caller side of one system, in a process of its own so that its work (and its garbage
// collection) never lands in another system's measurement. The bench runner drives it over IPC.
import 'reflect-metadata';
import { runLoad } from './load.js';
import type { ClientCommand, ClientReply } from './client-channel.js';
import { CLIFFRACER_DEBUG, CLIFFRACER_DEBUG_EVERY, SYSTEMS } from './systems.js';

const system = [...SYSTEMS, CLIFFRACER_DEBUG, CLIFFRACER_DEBUG_EVERY].find((s) => s.name === process.env.BENCH_SYSTEM);
if (system === undefined) throw new Error(`no bench system named ${JSON.stringify(process.env.BENCH_SYSTEM)}`);
const client = await system.client(process.env.NATS_URL!, process.env.BENCH_PREFIX!);
let steady: { running: boolean; answered: number; workers: Promise<unknown> } | undefined;

async function handle(command: ClientCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'rpc':
      return runLoad(() => client.request(), command.concurrency, command.durationMs, command.warmupMs);
    case 'emit':
      for (let i = 0; i < command.count; i += 1) {
        client.emit();
        // Yield now and then so the socket drains instead of buffering everything.
        if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
      }
      return command.count;
    case 'steady-start': {
      const state = { running: true, answered: 0, workers: Promise.resolve() as Promise<unknown> };
      const worker = async () => {
        // A failed request is not handled work; the comparison tables count errors.
        while (state.running) await client.request().then(() => (state.answered += 1), () => undefined);
      };
      state.workers = Promise.all(Array.from({ length: command.concurrency }, worker));
      steady = state;
      return undefined;
    }
    case 'steady-count':
      return steady?.answered ?? 0;
    case 'steady-stop':
      if (steady !== undefined) {
        steady.running = false;
        await steady.workers;
        steady = undefined;
      }
      return undefined;
    case 'close':
      await client.close();
      setImmediate(() => process.exit(0));
      return undefined;
  }
}

process.on('message', (message: { id: number; command: ClientCommand }) => {
  handle(message.command).then(
    (result) => process.send!({ id: message.id, result } satisfies ClientReply),
    (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.message ?? error) } satisfies ClientReply),
  );
});
process.send!({ id: 0, result: 'ready' } satisfies ClientReply);
