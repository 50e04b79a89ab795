import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { until } from './until';

export interface TestNginx {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The reverse-proxy configuration for hubs behind nginx (what docs/deploy.md shows), in front of `upstreams`
 * (`127.0.0.1:<port>`): round robin, WebSocket upgrade, webhook body size, timeouts, the next hub
 * tried when one refuses the connection.
 */
export function nginxConfig(options: {
  readonly listen: string;
  readonly upstreams: readonly string[];
}): string {
  return `upstream replydesk_hubs {
    ${options.upstreams.map((u) => `server ${u} max_fails=1 fail_timeout=5s;`).join('\n    ')}
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    '' close;
  }
  server {
    listen ${options.listen};
    # Webhook bodies (Meta's are small; media uploads are not).
    client_max_body_size 25m;
    location / {
      proxy_pass http://replydesk_hubs;
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      # App sockets are quiet between heartbeats (30 s): keep them open longer than that.
      proxy_read_timeout 75s;
      proxy_send_timeout 75s;
      proxy_connect_timeout 2s;
      # Replaying a webhook on another hub is safe (deduplicated by the channel's message id).
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_buffering off;
    }
  }`;
}

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** nginx (`/usr/sbin/nginx`) in a temp prefix folder, on `port`, stopped and removed by `stop`. */
export async function startNginx(port: number, upstreams: readonly string[]): Promise<TestNginx> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-nginx-'));
  await mkdir(path.join(dir, 'logs'));
  await mkdir(path.join(dir, 'tmp'));
  // Started as root, nginx's workers run as `nobody`: they must reach the folder and buffer
  // large request bodies in its tmp folder.
  await chmod(dir, 0o755);
  await chmod(path.join(dir, 'tmp'), 0o1777);
  const conf = `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  ${nginxConfig({ listen: `127.0.0.1:${port}`, upstreams })}
}
`;
  await writeFile(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(
    process.env['REPLYDESK_NGINX'] ?? '/usr/sbin/nginx',
    ['-p', dir, '-c', 'nginx.conf'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const up = await until(
    () => portOpen(port),
    (open) => open || child.exitCode !== null,
    10_000,
  );
  if (!up) {
    child.kill('SIGKILL');
    const log = await readFile(path.join(dir, 'logs', 'error.log'), 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${stderr}${log}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
