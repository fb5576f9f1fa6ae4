import { describe, expect, it } from '@jest/globals';
import { checkDeployConfig } from './deploy-config.js';
import { renderNginxConfig } from './nginx-config.js';

const config = checkDeployConfig('/srv/shop/deployment/dev.yaml', {
  root: '..',
  nginx: { port: 8000 },
  apps: { gateway: { port: 8101, instances: 2, public: true, websocket: '/ws' }, orders: { port: 8201, instances: 2 } },
});

describe('renderNginxConfig', () => {
  const conf = renderNginxConfig(config, { runAsRoot: false });

  it('balances the public app over all its instances, and only it', () => {
    expect(conf).toContain('upstream gateway_backend {\n    server 127.0.0.1:8101 max_fails=1 fail_timeout=2s;\n    server 127.0.0.1:8102 max_fails=1 fail_timeout=2s;');
    expect(conf).not.toContain('8201');
    expect(conf).toContain('listen 127.0.0.1:8000;');
  });

  it('passes a request over an instance that refuses or answers 503, and names the readiness path it is checked on', () => {
    expect(conf).toMatch(/location \/ \{[^}]*proxy_next_upstream error timeout http_502 http_503;/);
    expect(conf).toContain('# Readiness (GET /health/ready, 503 while NATS or the database is down');
  });

  it('upgrades the WebSocket path and proxies every other path', () => {
    expect(conf).toMatch(/location = \/ws \{\n\s+proxy_pass http:\/\/gateway_backend;\n\s+proxy_http_version 1\.1;\n\s+proxy_set_header Upgrade \$http_upgrade;\n\s+proxy_set_header Connection \$connection_upgrade;/);
    expect(conf).toMatch(/location \/ \{\n\s+proxy_pass http:\/\/gateway_backend;/);
  });

  it('keeps its PID, logs and temp files in the state folder', () => {
    expect(conf).toContain('pid /srv/shop/.local/pids/nginx.pid;');
    expect(conf).toContain('error_log /srv/shop/.local/logs/nginx-error.log warn;');
    expect(conf).toContain('access_log /srv/shop/.local/logs/nginx-access.log;');
    expect(conf).toContain('proxy_temp_path /srv/shop/.local/nginx-temp/proxy;');
  });

  it('drops root for its workers only when started as root', () => {
    expect(conf).not.toContain('user ');
    expect(renderNginxConfig(config, { runAsRoot: true })).toMatch(/^user nobody nogroup;$/m);
  });
});
