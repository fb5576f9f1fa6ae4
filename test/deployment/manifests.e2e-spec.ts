import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { findNginx } from '../../deployment/manager/nginx-process.js';
import { ROOT } from './deploy-fixture.js';

// Checks the cluster manifests as far as can be done without a cluster: every document parses,
// every app of the repository is deployed with readiness and liveness probes, every name a manifest
// refers to exists, NATS is a 3-node JetStream cluster the services reach on every node.

type Doc = Record<string, any>;

const K8S = join(ROOT, 'deployment/k8s');
const APPS = ['gateway', 'orders', 'payments', 'inventory', 'notifications'];
/** The one Secret created apart (deployment/README.md), with the keys it must hold. */
const SECRET_KEYS = ['DATABASE_URL', 'JWT_SECRET', 'POSTGRES_PASSWORD'];
/** The NATS and Ingress Secrets, created apart from the placeholders in this file. */
const SECRETS_EXAMPLE = join(K8S, 'secrets/nats-secrets.example.yaml');

async function exampleSecrets(): Promise<Map<string, Doc>> {
  const docs = parseAllDocuments(await readFile(SECRETS_EXAMPLE, 'utf8')).map((doc) => doc.toJS() as Doc);
  return new Map(docs.map((doc) => [doc.metadata.name, doc]));
}

/** nats.conf of the manifests with its TLS files in `dir` (a fresh CA-signed pair made by openssl). */
async function natsConfWithCerts(dir: string): Promise<string> {
  const run = promisify(execFile);
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'), '-days', '1', '-subj', '/CN=nats-0.nats-headless']);
  await writeFile(join(dir, 'ca.crt'), await readFile(join(dir, 'tls.crt')));
  const conf = find(await k8sDocs(), 'ConfigMap', 'nats-config')!.data['nats.conf'] as string;
  return conf.replaceAll('/etc/nats-tls/', `${dir}/`);
}

const passwordVariable = (app: string) => `${app.toUpperCase()}_NATS_PASSWORD`;

async function k8sDocs(): Promise<Doc[]> {
  const files = (await readdir(K8S)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  const docs: Doc[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(K8S, file), 'utf8'))) {
      expect({ file, errors: doc.errors.map(String) }).toEqual({ file, errors: [] });
      docs.push(doc.toJS() as Doc);
    }
  }
  return docs;
}

const find = (docs: Doc[], kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata?.name === name);

describe('Kubernetes manifests', () => {
  it('are valid YAML objects, all in the shop namespace, all listed by the kustomization', async () => {
    const docs = await k8sDocs();
    for (const doc of docs) {
      expect(doc).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String), metadata: { name: expect.any(String) } });
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace).toBe('cliffracer-shop');
    }
    const kustomization = parse(await readFile(join(K8S, 'kustomization.yaml'), 'utf8')) as Doc;
    const files = (await readdir(K8S)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it.each(APPS)('deploy %s with its entry, readiness on /health/ready and liveness on /health/live at its port, and a Service in front', async (app) => {
    const docs = await k8sDocs();
    const deployment = find(docs, 'Deployment', app)!;
    expect(deployment).toBeDefined();
    expect(deployment.spec.selector.matchLabels).toEqual(deployment.spec.template.metadata.labels);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    expect(existsSync(join(ROOT, `apps/${app}/src/main.ts`))).toBe(true);
    const port = container.ports[0].containerPort;
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port });
    // The readiness checks take up to a second each: the probe must wait longer than that.
    expect(container.readinessProbe.timeoutSeconds).toBeGreaterThan(1);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port });
    expect(container.env.find((e: Doc) => e.name === 'DATABASE_SCHEMA')?.value).toBe(app);
    const service = find(docs, 'Service', app)!;
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(service.spec.ports[0].targetPort).toBe(port);
  });

  it('give every service its settings from ConfigMaps and Secrets that exist', async () => {
    const docs = await k8sDocs();
    const configMaps = new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d.data]));
    const refs = JSON.stringify(docs);
    for (const [, name] of refs.matchAll(/"configMapRef":\{"name":"([^"]+)"\}/g)) expect(configMaps.has(name)).toBe(true);
    const natsAuthKeys = Object.keys((await exampleSecrets()).get('nats-auth')!.stringData as Doc);
    for (const [, name, key] of refs.matchAll(/"secretKeyRef":\{"name":"([^"]+)","key":"([^"]+)"\}/g)) {
      expect(['shop-secrets', 'nats-auth']).toContain(name);
      expect(name === 'shop-secrets' ? SECRET_KEYS : natsAuthKeys).toContain(key);
    }
    const config = configMaps.get('shop-config')!;
    expect(config).toMatchObject({ NATS_DURABLE_REPLICAS: '3', PORT: '8080', HOST: '0.0.0.0', NODE_ENV: 'production' });
  });

  it('run NATS as a 3-node JetStream cluster whose every node the services know', async () => {
    const docs = await k8sDocs();
    const nats = find(docs, 'StatefulSet', 'nats')!;
    expect(nats.spec.replicas).toBe(3);
    const headless = find(docs, 'Service', nats.spec.serviceName)!;
    expect(headless.spec.clusterIP).toBe('None');
    const conf = find(docs, 'ConfigMap', 'nats-config')!.data['nats.conf'] as string;
    expect(conf).toMatch(/jetstream \{/);
    const routes = [0, 1, 2].map((i) => `nats://nats-${i}.${headless.metadata.name}:6222`);
    for (const route of routes) expect(conf).toContain(route);
    const clientUrls = (find(docs, 'ConfigMap', 'shop-config')!.data.NATS_URL as string).split(',');
    expect(clientUrls).toEqual([0, 1, 2].map((i) => `nats://nats-${i}.${headless.metadata.name}:4222`));
    expect(nats.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
  });

  it('give NATS a configuration nats-server itself accepts, with its certificates and the services\' passwords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nats-conf-'));
    try {
      await writeFile(join(dir, 'nats.conf'), await natsConfWithCerts(dir));
      const passwords = Object.fromEntries(APPS.map((app) => [passwordVariable(app), `pw-${app}`]));
      const { stderr } = await promisify(execFile)('nats-server', ['-c', join(dir, 'nats.conf'), '-t'], { env: { ...process.env, POD_NAME: 'nats-0', ...passwords } });
      expect(stderr).toContain('is valid');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('make NATS require TLS from the Secret nats-tls and a password per service from the Secret nats-auth', async () => {
    const docs = await k8sDocs();
    const conf = find(docs, 'ConfigMap', 'nats-config')!.data['nats.conf'] as string;
    expect(conf).toMatch(/tls \{\s+cert_file: \/etc\/nats-tls\/tls\.crt\s+key_file: \/etc\/nats-tls\/tls\.key\s+ca_file: \/etc\/nats-tls\/ca\.crt/);
    const pod = find(docs, 'StatefulSet', 'nats')!.spec.template.spec;
    const [container] = pod.containers;
    expect(container.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/nats-tls', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'nats-tls' } });
    expect(container.envFrom).toEqual([{ secretRef: { name: 'nats-auth' } }]);
    for (const app of APPS) {
      expect(conf).toContain(`{ user: ${app}, password: $${passwordVariable(app)}, permissions: $shop_permissions }`);
    }
    // Services may not publish or subscribe outside the shop's prefix, their inboxes, JetStream and discovery.
    expect(conf).toContain('publish: { allow: ["shop.>", "_INBOX.>", "$JS.API.>", "$JS.ACK.>", "$SRV.>"] }');
    expect(conf).not.toMatch(/allow: \[[^\]]*"(>|\$SYS\.>)"/);
  });

  it.each(APPS)('log %s in to NATS as its own user over TLS with the CA from nats-tls', async (app) => {
    const docs = await k8sDocs();
    const pod = find(docs, 'Deployment', app)!.spec.template.spec;
    const [container] = pod.containers;
    expect(container.env).toContainEqual({ name: 'NATS_USER', value: app });
    expect(container.env).toContainEqual({ name: 'NATS_PASSWORD', valueFrom: { secretKeyRef: { name: 'nats-auth', key: passwordVariable(app) } } });
    const caFile = find(docs, 'ConfigMap', 'shop-config')!.data.NATS_TLS_CA as string;
    expect(caFile).toBe('/etc/nats-tls/ca.crt');
    expect(container.volumeMounts).toContainEqual({ name: 'nats-ca', mountPath: '/etc/nats-tls', readOnly: true });
    // Only the CA: the server's key stays in the NATS pods.
    expect(pod.volumes).toEqual([{ name: 'nats-ca', secret: { secretName: 'nats-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }]);
  });

  it('document every NATS and Ingress Secret with placeholders only, outside the kustomization', async () => {
    const secrets = await exampleSecrets();
    expect([...secrets.keys()].sort()).toEqual(['gateway-tls', 'nats-auth', 'nats-tls']);
    expect(Object.keys(secrets.get('nats-auth')!.stringData).sort()).toEqual(APPS.map(passwordVariable).sort());
    expect(Object.keys(secrets.get('nats-tls')!.stringData).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    expect(secrets.get('gateway-tls')!.type).toBe('kubernetes.io/tls');
    for (const secret of secrets.values()) {
      expect(secret.metadata.namespace).toBe('cliffracer-shop');
      for (const value of Object.values(secret.stringData as Record<string, string>)) expect(value.trim()).toMatch(/^<[^>]+>$/);
    }
    const kustomization = parse(await readFile(join(K8S, 'kustomization.yaml'), 'utf8')) as Doc;
    expect(kustomization.resources.some((r: string) => r.includes('secret'))).toBe(false);
  });

  it('expose only the gateway to the outside', async () => {
    const docs = await k8sDocs();
    const ingresses = docs.filter((d) => d.kind === 'Ingress');
    expect(ingresses.map((i) => i.spec.rules[0].http.paths[0].backend.service.name)).toEqual(['gateway']);
    // Only the public routes: /metrics and /health/* are not routed from outside.
    expect(ingresses[0].spec.rules[0].http.paths.map((p: Doc) => `${p.pathType} ${p.path}`)).toEqual(['Prefix /api', 'Exact /ws']);
    expect(docs.filter((d) => d.kind === 'Service' && d.spec.type === 'LoadBalancer')).toEqual([]);
  });

  it('serve the Ingress over TLS for its host, with a certificate Secret that is documented', async () => {
    const ingress = (await k8sDocs()).find((d) => d.kind === 'Ingress')!;
    const hosts = ingress.spec.rules.map((rule: Doc) => rule.host);
    expect(ingress.spec.tls).toEqual([{ hosts, secretName: 'gateway-tls' }]);
    expect((await exampleSecrets()).has('gateway-tls')).toBe(true);
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/force-ssl-redirect']).toBe('true');
  });
});

describe('compose file', () => {
  const compose = async () => parse(await readFile(join(ROOT, 'deployment/compose.yaml'), 'utf8'), { merge: true }) as Doc;

  it('clusters three JetStream NATS nodes, each routed to the other two', async () => {
    const { services } = await compose();
    for (const n of [1, 2, 3]) {
      const args = services[`nats-${n}`].command as string[];
      expect(args).toContain('-js');
      const routes = args[args.indexOf('--routes') + 1]!.split(',');
      expect(routes.sort()).toEqual([1, 2, 3].filter((m) => m !== n).map((m) => `nats://nats-${m}:6222`));
    }
  });

  it.each(APPS)('runs %s from the shared image with a readiness health check, after NATS and Postgres are healthy', async (app) => {
    const { services } = await compose();
    const service = services[app];
    expect(service.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    expect(service.build).toEqual({ context: '..', dockerfile: 'deployment/Dockerfile' });
    expect(service.healthcheck.test.join(' ')).toContain("fetch('http://127.0.0.1:8080/health/ready')");
    expect(service.environment).toMatchObject({ DATABASE_SCHEMA: app, PORT: '8080', NATS_DURABLE_REPLICAS: '3' });
    expect(service.environment.NATS_URL.split(',')).toHaveLength(3);
    for (const [dependency, { condition }] of Object.entries(service.depends_on as Record<string, { condition: string }>)) {
      expect(services[dependency]).toBeDefined();
      expect(condition).toBe('service_healthy');
    }
  });

  it('builds from a Dockerfile that exists and publishes only nginx to the network (Grafana on loopback)', async () => {
    const { services } = await compose();
    expect(existsSync(join(ROOT, 'deployment/Dockerfile'))).toBe(true);
    const published = Object.entries(services).filter(([, s]) => (s as Doc).ports !== undefined).map(([name]) => name);
    expect(published.sort()).toEqual(['grafana', 'nginx']);
    expect(services.grafana.ports.every((port: string) => port.startsWith('127.0.0.1:'))).toBe(true);
    expect(services.nginx.volumes).toEqual(['./compose-nginx.conf:/etc/nginx/nginx.conf:ro']);
  });

  it('passes requests over a gateway replica that refuses or is not ready (503)', async () => {
    const conf = await readFile(join(ROOT, 'deployment/compose-nginx.conf'), 'utf8');
    expect(conf).toMatch(/location \/ \{[^}]*proxy_next_upstream error timeout http_502 http_503;/);
    expect(conf).toContain('server gateway:8080 max_fails=1 fail_timeout=2s;');
  });

  it('logs paths without their query string, where a WebSocket token travels', async () => {
    const conf = await readFile(join(ROOT, 'deployment/compose-nginx.conf'), 'utf8');
    const format = /log_format cliffracer ((?:'[^']*'\s*)+);/.exec(conf)?.[1] ?? '';
    expect(format).toContain('"$request_method $uri $server_protocol"');
    expect(format).not.toMatch(/\$(request|request_uri|args|query_string|arg_token)\b/);
    expect(conf).toContain('access_log /var/log/nginx/access.log cliffracer;');
  });

  it('keeps /metrics and /health/detailed of the gateway off the published port', async () => {
    const conf = await readFile(join(ROOT, 'deployment/compose-nginx.conf'), 'utf8');
    expect(conf).toMatch(/location = \/metrics \{\s+return 404;\s+\}/);
    expect(conf).toMatch(/location = \/health\/detailed \{\s+return 404;\s+\}/);
  });

  it('has an nginx configuration nginx itself accepts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compose-nginx-'));
    try {
      // The compose host name only resolves inside compose; everything else is checked as it is.
      const conf = (await readFile(join(ROOT, 'deployment/compose-nginx.conf'), 'utf8')).replace('server gateway:8080 ', 'server 127.0.0.1:8080 ').replace('listen 80;', 'listen 127.0.0.1:18080;').replace('/var/log/nginx/access.log', join(dir, 'access.log'));
      await writeFile(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n${conf}`);
      const nginx = await findNginx('nginx');
      await expect(promisify(execFile)(nginx, ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')])).resolves.toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
