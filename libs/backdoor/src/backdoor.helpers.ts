import { CATEGORY_PATTERN, type DebugLogger } from '@cliffracer/debug-logger';
import type { NatsClient, NatsServer } from '@cliffracer/nats-transport';
import type { ModuleRef } from '@nestjs/core';
import type { NatsConnection } from '@nats-io/transport-node';
import { readFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import type { HandlerStats } from './handler-stats.js';
import { Report } from './report.js';

/** What the helpers look at. */
export interface BackdoorTargets {
  serviceName: string;
  moduleRef: ModuleRef;
  client?: NatsClient;
  server?: NatsServer;
  stats: HandlerStats;
  /** A provider or controller instance by class name (`get('OrdersService')`). */
  findByName: (name: string) => unknown;
  debug?: DebugLogger;
  startedAt: number;
}

export const HELP = `Cliffracer backdoor commands:
  help_backdoor()               this list
  inspect_service()             name, handlers, subjects, uptime, memory
  inspect_nats()                server, connection state, messages and bytes in/out (subscriptions: list_subs())
  list_subs()                   subscriptions and durable consumers, with queue groups
  list_workers()                handlers running now: subject, age, correlation ID
  show_metrics()                per-handler counts, errors, p50/p99
  await call(svc, method, body) call an RPC
  await debug_logs(category, n) last n debug-log entries of a category
  pprint(value)                 pretty-print anything
  exit()                        close this session (the service keeps running)
Variables: app (module ref: app.get(Token)), get(Token or 'ClassName'), service, nats, client, server`;

/** The REPL context: variables and helpers of the backdoor. */
export function buildContext(t: BackdoorTargets, closeSession: () => void): Record<string, unknown> {
  const connection = (): NatsConnection | undefined => {
    try {
      return t.server?.unwrap() ?? t.client?.unwrap();
    } catch {
      return undefined;
    }
  };
  // A class name reaches providers whose class is not in the REPL's scope; tokens work as in Nest.
  const get = (token: unknown) => {
    if (typeof token === 'string') {
      const found = t.findByName(token);
      if (found !== undefined) return found;
    }
    return t.moduleRef.get(token as string, { strict: false });
  };
  return {
    // The module ref with a get() that searches the whole application, as main.ts's app.get() does.
    app: Object.assign(Object.create(t.moduleRef) as ModuleRef, { get }),
    get,
    service: { name: t.serviceName, server: t.server, client: t.client, get },
    nats: connection(),
    client: t.client,
    server: t.server,
    pprint: (value: unknown) => new Report(inspect(value, { depth: 6, colors: false, breakLength: 100 })),
    help_backdoor: () => new Report(HELP),
    inspect_service: () => inspectService(t),
    inspect_nats: () => inspectNats(connection()),
    list_subs: () => listSubs(t.server),
    list_workers: () => listWorkers(t.server),
    show_metrics: () => showMetrics(t.stats),
    call: (service: string, method: string, payload?: unknown) => {
      if (!t.client) throw new TypeError('no NatsClient in this service: import NatsTransportModule');
      return t.client.call(service, method, payload);
    },
    debug_logs: (category: string, n = 20) => debugLogs(t.debug, category, n),
    exit: () => {
      closeSession();
      return new Report('bye');
    },
  };
}

function inspectService(t: BackdoorTargets): Report {
  const routes = t.server?.describeRoutes() ?? [];
  const memory = process.memoryUsage();
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
  return new Report(
    [
      'Service information:',
      `  service_name: ${t.serviceName}`,
      `  nats_connected: ${t.server ? !t.server.unwrap<NatsConnection>().isClosed() : 'no server attached'}`,
      `  handlers: ${routes.map((r) => `${r.kind} ${r.subject}`).join(', ') || '(none)'}`,
      `  uptime: ${((Date.now() - t.startedAt) / 1000).toFixed(1)} s`,
      `  memory: rss ${mb(memory.rss)}, heap ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)}`,
      `  pid: ${process.pid}`,
    ].join('\n'),
  );
}

function inspectNats(nc: NatsConnection | undefined): Report {
  if (!nc) return new Report('NATS: not connected');
  const stats = nc.stats();
  const state = nc.isClosed() ? 'closed' : nc.isDraining() ? 'draining' : 'connected';
  return new Report(
    [
      'NATS connection:',
      `  server: ${nc.getServer()}`,
      `  state: ${state}`,
      `  in: ${stats.inMsgs} msgs, ${stats.inBytes} bytes`,
      `  out: ${stats.outMsgs} msgs, ${stats.outBytes} bytes`,
    ].join('\n'),
  );
}

function listSubs(server: NatsServer | undefined): Report {
  const routes = server?.describeRoutes() ?? [];
  const lines = routes.map((r, i) => {
    const extra = r.durable ? ` (durable: ${r.durable})` : r.queue ? ` (queue: ${r.queue})` : ' (broadcast)';
    return `${String(i + 1).padStart(2)}. ${r.kind.padEnd(5)} ${r.subject}${extra}`;
  });
  return new Report([`Active subscriptions (${routes.length} total)`, ...lines].join('\n'));
}

function listWorkers(server: NatsServer | undefined): Report {
  const running = server?.inFlight.list() ?? [];
  const now = Date.now();
  const lines = running.map((w) => `  ${w.subject}  ${now - w.startedAt} ms  cid=${w.correlationId}`);
  return new Report([`Active workers (${running.length})`, ...lines].join('\n'));
}

function showMetrics(stats: HandlerStats): Report {
  const rows = stats.rows();
  const fmt = (ms?: number) => (ms === undefined ? '-' : ms.toFixed(2));
  const lines = rows.map((r) => `  ${r.subject.padEnd(32)} ${r.kind.padEnd(5)} count=${r.count} errors=${r.errors} p50=${fmt(r.p50Ms)}ms p99=${fmt(r.p99Ms)}ms`);
  return new Report([`Handler metrics (${rows.length} handlers)`, ...lines].join('\n'));
}

async function debugLogs(debug: DebugLogger | undefined, category: string, n: number): Promise<Report> {
  if (!debug?.enabled) return new Report('the debug logger is off (DEBUG_MODE=true turns it on)');
  if (!CATEGORY_PATTERN.test(category)) return new Report(`not a category name: ${JSON.stringify(category)}`);
  await debug.flush();
  const text = await readFile(debug.fileOf(category), 'utf8').catch(() => '');
  const lines = text.trim().split('\n').filter(Boolean).slice(-n);
  return new Report(lines.length === 0 ? `no ${category} entries in session ${debug.sessionId}` : lines.join('\n'));
}
