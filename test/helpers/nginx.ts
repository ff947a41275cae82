/**
 * A real nginx (Debian's nginx-light, /usr/sbin/nginx) as a TLS-terminating reverse proxy on
 * loopback, for tests that need the proxy in front of an app to be the real thing.
 *
 *   const proxy = await startNginx({ certPem, keyPem, servers: [{ upstreamPort: 5000 }] });
 *   // https://127.0.0.1:${proxy.ports[0]}/ -> http://127.0.0.1:5000/ with X-Forwarded-Proto: https
 *   await proxy.stop();
 *
 * Everything lives in a temporary directory (`-p TMP -c nginx.conf`, `-e TMP/error.log`, temp
 * paths, pid file): no root, no system paths, nothing left behind. One nginx process
 * (`master_process off; daemon off;`) serves any number of server blocks, one listening port each.
 * Start-up is bounded: the ports must answer within `startTimeoutMs` or the process is killed
 * and the error log is part of the thrown error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface NginxServer {
  /** The app behind this server block, on 127.0.0.1. */
  upstreamPort: number;
  /**
   * Send `X-Forwarded-Proto $scheme` (default true). false models a proxy configured without it,
   * the other half of the proxy trap: the app then cannot learn that the client used HTTPS.
   */
  forwardProto?: boolean;
}

export interface NginxOptions {
  certPem: string;
  keyPem: string;
  servers: NginxServer[];
  /** Default 10000 ms. */
  startTimeoutMs?: number;
}

export interface RunningNginx {
  /** HTTPS port of each server block, in the order given. */
  ports: number[];
  dir: string;
  /** `nginx -v` (e.g. "nginx/1.22.1"). */
  version: string;
  /** The error log so far (for diagnostics). */
  errorLog(): string;
  stop(): Promise<void>;
}

/** Why nginx cannot run here, or null when it can. */
export function nginxMissing(): string | null {
  return existsSync(NGINX_BIN)
    ? null
    : `${NGINX_BIN} not found (apt-get install nginx-light, or scripts/setup.sh --test)`;
}

/** A port that was free a moment ago on 127.0.0.1 (bound to :0 then released). */
export function pickPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once something accepts TCP connections on 127.0.0.1:port; rejects after `timeoutMs`.
 * With `pid`, the listening socket must belong to that process: a port picked by pickPort can be
 * taken by another test in between, and then the answer would come from that other server while
 * ours fails with EADDRINUSE (`alive` reports the exit and the caller retries on a new port).
 */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  alive?: () => string | null,
  pid?: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = alive?.() ?? null;
    if (dead) throw new Error(dead);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port });
      const done = (v: boolean): void => {
        sock.destroy();
        resolve(v);
      };
      sock.setTimeout(1000, () => done(false));
      sock.once('connect', () => done(true));
      sock.once('error', () => done(false));
    });
    if (ok && (pid === undefined || listensOn(pid, port))) return;
    if (Date.now() > deadline)
      throw new Error(
        ok
          ? `127.0.0.1:${port} is answered by another process than ${pid} within ${timeoutMs} ms`
          : `nothing answered on 127.0.0.1:${port} within ${timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Does process `pid` hold the socket listening on 127.0.0.1:port? Read from Linux's /proc (the
 * socket's inode in /proc/net/tcp, then the process's file descriptors). Where /proc cannot tell,
 * the answer is yes: the check only guards against a port taken by someone else.
 */
function listensOn(pid: number, port: number): boolean {
  let inode: string | null = null;
  try {
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols[1] local address "0100007F:1F90", cols[3] state (0A = LISTEN), cols[9] inode.
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (parseInt(cols[1]!.split(':')[1]!, 16) === port) {
        inode = cols[9]!;
        break;
      }
    }
  } catch {
    return true;
  }
  if (inode === null) return true;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return true;
  }
  const target = `socket:[${inode}]`;
  return fds.some((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`) === target;
    } catch {
      return false;
    }
  });
}

function nginxVersion(): string {
  // `nginx -v` prints "nginx version: nginx/1.22.1" on stderr.
  const r = spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8', timeout: 5000 });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return /nginx\/[\w.]+/.exec(text)?.[0] ?? text.trim();
}

function serverBlock(port: number, s: NginxServer): string {
  const proto = s.forwardProto === false ? '' : '      proxy_set_header X-Forwarded-Proto $scheme;\n';
  return `  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost 127.0.0.1;
    ssl_certificate cert.pem;
    ssl_certificate_key key.pem;
    location / {
      proxy_pass http://127.0.0.1:${s.upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
${proto}      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Host $host;
      proxy_connect_timeout 5s;
      proxy_read_timeout 20s;
    }
  }
`;
}

/** The nginx.conf for these servers; paths are relative to the prefix (`-p`). */
export function nginxConfig(ports: number[], servers: NginxServer[]): string {
  return `daemon off;
master_process off;
pid nginx.pid;
error_log error.log warn;
events { worker_connections 256; }
http {
  access_log access.log;
  client_body_temp_path tmp/body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  server_tokens on;
${servers.map((s, i) => serverBlock(ports[i]!, s)).join('')}}
`;
}

/** Start nginx with one HTTPS server block per entry of `servers`. Throws when it cannot start. */
export async function startNginx(opts: NginxOptions): Promise<RunningNginx> {
  const missing = nginxMissing();
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'cookieguard-nginx-'));
  // nginx creates the last component of each temp path, not its parents.
  mkdirSync(join(dir, 'tmp'));
  writeFileSync(join(dir, 'cert.pem'), opts.certPem);
  writeFileSync(join(dir, 'key.pem'), opts.keyPem, { mode: 0o600 });
  const timeout = opts.startTimeoutMs ?? 10_000;
  const errorLog = (): string => {
    try {
      return readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };

  // A port picked by binding :0 can be taken by someone else before nginx binds it: retry a few times.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const ports: number[] = [];
    for (let i = 0; i < opts.servers.length; i++) ports.push(await pickPort());
    writeFileSync(join(dir, 'nginx.conf'), nginxConfig(ports, opts.servers));
    const child = spawn(NGINX_BIN, ['-p', `${dir}/`, '-c', 'nginx.conf', '-e', 'error.log'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    trackProcess(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderr += d));
    let exited: string | null = null;
    child.once('exit', (code, signal) => (exited = `nginx exited (${signal ?? code})`));
    child.once('error', (e) => (exited = `nginx could not start: ${e.message}`));
    try {
      for (const p of ports)
        await waitForPort(
          p,
          timeout,
          () => (exited ? `${exited}: ${stderr.trim()} ${errorLog().trim()}` : null),
          child.pid,
        );
      return {
        ports,
        dir,
        version: nginxVersion(),
        errorLog,
        stop: () => stopProcess(child).then(() => rmSync(dir, { recursive: true, force: true })),
      };
    } catch (err) {
      lastError = err;
      await stopProcess(child);
      if (!/Address already in use/i.test(String(err))) break;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

const running = new Set<ChildProcess>();
let exitHooked = false;

function killAllNow(): void {
  for (const c of running) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

/**
 * Remember a child started with `detached: true` (its own process group), so that it is killed even
 * when the test process ends without running its after() hooks (an uncaught error, SIGTERM/SIGINT).
 */
export function trackProcess(child: ChildProcess): void {
  if (child.pid === undefined) return;
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', killAllNow);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      killAllNow();
      process.kill(process.pid, sig); // the listener is gone: the default action ends the process
    });
  }
}

/**
 * Stop a child started with `detached: true` (its own process group): SIGTERM to the group, then
 * SIGKILL after 3 s. Resolves when it has exited.
 */
export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise((resolve) => {
    const kill = (sig: NodeJS.Signals): void => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        try {
          child.kill(sig);
        } catch {
          // already gone
        }
      }
    };
    const timer = setTimeout(() => kill('SIGKILL'), 3000);
    timer.unref();
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    kill('SIGTERM');
  });
}
