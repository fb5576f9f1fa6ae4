import type { DeployConfig } from './deploy-config.js';
import { planInstances, statePaths } from './deploy-plan.js';

/**
 * The nginx configuration of a deployment: one upstream per public app (its instances,
 * balanced round robin), WebSocket upgrades on the app's `websocket` path, every other path
 * proxied as HTTP with the client's address and correlation ID passed on. All state (PID,
 * logs, temp files) stays in the deployment's state folder.
 */
export function renderNginxConfig(config: DeployConfig, options: { runAsRoot: boolean }): string {
  const paths = statePaths(config);
  const instances = planInstances(config);
  const publicApps = config.apps.filter((app) => app.public);
  const upstreams = publicApps.map((app) => {
    const servers = instances.filter((i) => i.app === app).map((i) => `    server 127.0.0.1:${i.port} max_fails=1 fail_timeout=2s;`);
    return [...passiveCheckNote(app.healthPath), `  upstream ${upstreamName(app.name)} {`, ...servers, '    keepalive 16;', '  }'].join('\n');
  });
  // The first public app serves every path; others are reached under /<app>/.
  const locations = publicApps.flatMap((app, i) => {
    const prefix = i === 0 ? '/' : `/${app.name}/`;
    const upstream = upstreamName(app.name);
    const ws = app.websocket === undefined ? [] : [websocketLocation(app.websocket, upstream)];
    return [...ws, httpLocation(prefix, upstream)];
  });
  return `# Generated from ${config.file}; regenerate with: npm run deploy -- gen-nginx-conf
${options.runAsRoot ? 'user nobody nogroup;\n' : ''}worker_processes ${config.nginx.workerProcesses};
pid ${paths.nginxPid};
error_log ${paths.nginxErrorLog} warn;

events {
  worker_connections ${config.nginx.workerConnections};
}

http {
  access_log ${paths.nginxAccessLog};
  client_body_temp_path ${paths.nginxTemp}/client_body;
  proxy_temp_path ${paths.nginxTemp}/proxy;
  fastcgi_temp_path ${paths.nginxTemp}/fastcgi;
  uwsgi_temp_path ${paths.nginxTemp}/uwsgi;
  scgi_temp_path ${paths.nginxTemp}/scgi;

  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }

${upstreams.join('\n\n')}

  server {
    listen ${config.nginx.host}:${config.nginx.port};
${locations.join('\n\n')}
  }
}
`;
}

// Open-source nginx has no active health checks (NGINX Plus's `health_check`); say what does the checking.
function passiveCheckNote(healthPath: string): string[] {
  return [
    `  # Readiness (GET ${healthPath}, 503 while NATS or the database is down or the instance`,
    '  # shuts down) is checked by the manager before nginx starts and by `deploy status`. nginx',
    '  # checks passively: an instance that refuses, times out or answers 502/503 is passed over',
    '  # (proxy_next_upstream) and left out for fail_timeout.',
  ];
}

function upstreamName(app: string): string {
  return `${app.replaceAll('-', '_')}_backend`;
}

function httpLocation(prefix: string, upstream: string): string {
  return `    location ${prefix} {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503;
    }`;
}

function websocketLocation(path: string, upstream: string): string {
  return `    location = ${path} {
      proxy_pass http://${upstream};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_read_timeout 1h;
    }`;
}
