import { describe, expect, it } from '@jest/globals';
import { MetricsService } from '@cliffracer/http';
import {
  type CallReport,
  type HandledReport,
  NATS_CALL_CHANNEL,
  NATS_DEAD_LETTER_CHANNEL,
  NATS_HANDLED_CHANNEL,
  NATS_REDELIVERY_CHANNEL,
  NATS_STATUS_CHANNEL,
} from '@cliffracer/nats-transport';
import { channel } from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './deploy-fixture.js';

// Checks the compose file's Prometheus and Grafana as far as can be done without Docker: the
// files it mounts exist and parse, Prometheus scrapes every shop service where it serves
// /metrics, Grafana's provisioning points at that Prometheus and at the dashboard, and every
// query of the dashboard names a metric a real service registry exposes.

type Doc = Record<string, any>;

const DEPLOYMENT = join(ROOT, 'deployment');
const readYaml = async (path: string): Promise<Doc> => parse(await readFile(join(DEPLOYMENT, path), 'utf8')) as Doc;
const compose = () => readYaml('compose.yaml');
const dashboard = async (): Promise<Doc> => JSON.parse(await readFile(join(DEPLOYMENT, 'grafana/dashboards/cliffracer-transport.json'), 'utf8')) as Doc;

/** The host side of a `./x:/y[:ro]` volume of a compose service, by its container path. */
function mounts(service: Doc): Map<string, string> {
  return new Map((service.volumes as string[]).filter((volume) => volume.startsWith('./')).map((volume) => {
    const [host, container] = volume.split(':');
    return [container!, join(DEPLOYMENT, host!)];
  }));
}

/**
 * The labels of every metric a real service exposes on /metrics (the HTTP door's registry, a
 * superset of MetricsModule's), once one report of each kind went through the transport's channels.
 */
async function exposedMetrics(): Promise<Map<string, Set<string>>> {
  const metrics = new MetricsService('dashboard-check');
  metrics.onModuleInit();
  try {
    const service = 'dashboard-check';
    const timed = { service, subject: 'a.b', correlationId: 'c', durationMs: 1, finishedAt: 1, timeoutMs: 1000, failed: true, errorCode: 'BAD_PAYLOAD' } satisfies CallReport;
    channel(NATS_HANDLED_CHANNEL).publish({ ...timed, kind: 'rpc', route: 'a.b' } satisfies HandledReport);
    channel(NATS_CALL_CHANNEL).publish(timed);
    channel(NATS_DEAD_LETTER_CHANNEL).publish({ service, route: 'a.>', durable: false, code: 'INTERNAL' });
    channel(NATS_REDELIVERY_CHANNEL).publish({ service, route: 'a.b', code: 'INTERNAL', delivery: 1, delayMs: 1 });
    channel(NATS_STATUS_CHANNEL).publish({ service, role: 'server', status: 'disconnected' });
    channel(NATS_STATUS_CHANNEL).publish({ service, role: 'server', status: 'connected' });
    metrics.countAuthFailures({ onRecord: (listener) => (listener('no token', 'rpc'), () => undefined) });
    metrics.recordHttp('GET', '/a', 200, 1);
    const labels = new Map<string, Set<string>>();
    for (const line of (await metrics.text()).split('\n')) {
      const match = /^([a-z_]+)\{([^}]*)\} /.exec(line);
      if (match === null) continue;
      const names = [...match[2]!.matchAll(/([a-z_]+)="/g)].map(([, name]) => name!);
      labels.set(match[1]!, new Set([...(labels.get(match[1]!) ?? []), ...names]));
    }
    return labels;
  } finally {
    metrics.onModuleDestroy();
  }
}

describe('Compose observability', () => {
  it('scrapes /metrics of every shop service on the port its healthcheck asks', async () => {
    const doc = await compose();
    const shop = Object.entries(doc.services as Record<string, Doc>).filter(([, service]) => String(service.command).includes('dist/apps/'));
    expect(shop.map(([name]) => name).sort()).toEqual(['gateway', 'inventory', 'notifications', 'orders', 'payments']);
    const port = /127\.0\.0\.1:(\d+)\/health\/ready/.exec(doc['x-shop-service'].healthcheck.test.join(' '))![1];
    const config = await readYaml('prometheus/prometheus.yml');
    const [job] = config.scrape_configs as Doc[];
    expect(job!.metrics_path).toBe('/metrics');
    expect(job!.dns_sd_configs).toEqual([expect.objectContaining({ names: shop.map(([name]) => name), type: 'A', port: Number(port) })]);
    expect(mounts(doc.services.prometheus).get('/etc/prometheus/prometheus.yml')).toBe(join(DEPLOYMENT, 'prometheus/prometheus.yml'));
  });

  it('keeps /metrics away from whoever reaches nginx, and Prometheus and Grafana off public ports', async () => {
    const doc = await compose();
    expect(await readFile(join(DEPLOYMENT, 'compose-nginx.conf'), 'utf8')).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
    expect(doc.services.prometheus.ports).toBeUndefined();
    expect(doc.services.grafana.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(doc.services.grafana.environment.GF_SECURITY_ADMIN_PASSWORD).toBe('${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}');
  });

  it('provisions Grafana with the compose Prometheus and the dashboard folder it mounts', async () => {
    const doc = await compose();
    const grafana = mounts(doc.services.grafana);
    const provisioning = grafana.get('/etc/grafana/provisioning')!;
    const datasources = parse(await readFile(join(provisioning, 'datasources/prometheus.yaml'), 'utf8')) as Doc;
    const [source] = datasources.datasources as Doc[];
    const prometheusPort = 9090;
    expect(source).toMatchObject({ type: 'prometheus', url: `http://prometheus:${prometheusPort}` });
    const providers = parse(await readFile(join(provisioning, 'dashboards/cliffracer.yaml'), 'utf8')) as Doc;
    const dashboardsDir = providers.providers[0].options.path as string;
    expect(existsSync(join(grafana.get(dashboardsDir)!, 'cliffracer-transport.json'))).toBe(true);
    const panels = ((await dashboard()).panels as Doc[]).filter((panel) => panel.type !== 'row');
    for (const panel of panels) expect(panel.datasource.uid).toBe(source!.uid);
  });

  it('has panels for calls, latency, handled, dead letters, redeliveries, reconnects, refusals and auth failures', async () => {
    const exprs = ((await dashboard()).panels as Doc[]).flatMap((panel) => (panel.targets ?? []).map((target: Doc) => target.expr as string)).join('\n');
    for (const metric of ['cliffracer_calls_total', 'cliffracer_call_duration_seconds_bucket', 'cliffracer_handled_total', 'cliffracer_handler_duration_seconds_bucket', 'cliffracer_dead_letters_total', 'cliffracer_redeliveries_total', 'cliffracer_nats_reconnects_total', 'cliffracer_refused_total', 'cliffracer_auth_failures_total']) {
      expect(exprs).toContain(metric);
    }
    expect(exprs).toMatch(/histogram_quantile\(0\.5,/);
    expect(exprs).toMatch(/histogram_quantile\(0\.99,/);
  });

  it('queries only metrics and labels a real service registry exposes', async () => {
    const exposed = await exposedMetrics();
    const doc = await dashboard();
    const queries = [
      ...(doc.panels as Doc[]).flatMap((panel) => (panel.targets ?? []).map((target: Doc) => target.expr as string)),
      ...(doc.templating.list as Doc[]).map((variable) => variable.query.query as string),
    ];
    const metricsOf = (query: string) => [...query.matchAll(/\b(cliffracer_[a-z_]+)\b/g)].map(([, name]) => name!);
    const named = new Set(queries.flatMap(metricsOf));
    expect(named.size).toBeGreaterThan(8);
    expect([...named].filter((name) => !exposed.has(name))).toEqual([]);
    for (const query of queries) {
      const known = new Set(metricsOf(query).flatMap((name) => [...exposed.get(name)!]));
      const used = [...query.matchAll(/by \(([^)]*)\)|\{([^}]*)\}|label_values\([a-z_]+, ([a-z_]+)\)/g)].flatMap(([, by, selector, variable]) =>
        by !== undefined ? by.split(',').map((label: string) => label.trim()) : selector !== undefined ? [...selector.matchAll(/([a-z_]+)=~?"/g)].map(([, label]) => label!) : [variable!],
      );
      expect({ query, unknown: used.filter((label) => !known.has(label)) }).toEqual({ query, unknown: [] });
    }
  });
});
