/**
 * Helpers for the `cookieguard dev` tests: a real upstream app on loopback (node:http), the CLI
 * spawned as a user runs it, and HTTPS requests that trust only the CA the proxy printed.
 * Everything binds 127.0.0.1 / ::1 on ephemeral ports; every wait is bounded.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/cookieguard.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function tempDir(label: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `cookieguard-dev-${label}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
}

export interface Upstream {
  server: http.Server;
  port: number;
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A node:http app on 127.0.0.1 that records every request, then runs `handler`. */
export async function startUpstream(
  handler: http.RequestListener,
  opts: { host?: string; port?: number } = {},
): Promise<Upstream> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
    });
    handler(req, res);
  });
  server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
}

/** One HTTPS request trusting only `ca`; `servername` for SNI / name check (default: host). */
export function httpsRequest(opts: {
  host: string;
  port: number;
  ca: string;
  method?: string;
  path?: string;
  headers?: http.OutgoingHttpHeaders | string[];
  body?: string | Buffer;
  servername?: string;
  timeoutMs?: number;
}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: opts.host,
        port: opts.port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        ca: opts.ca,
        headers: opts.headers as http.OutgoingHttpHeaders,
        agent: false,
        ...(opts.servername !== undefined ? { servername: opts.servername } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 20_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface DevRun {
  child: ChildProcessWithoutNullStreams;
  /** HTTPS port printed by the CLI. */
  port: number;
  /** Plain-HTTP redirect port, when asked for. */
  httpPort?: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches (bounded). */
  waitStdout(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal and resolves with the exit code (bounded; SIGKILL after the bound). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

async function waitFor(
  get: () => string,
  re: RegExp,
  timeoutMs: number,
  what: string,
  child: ChildProcessWithoutNullStreams,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = get();
    const m = re.exec(text);
    if (m) return m[0];
    if (child.exitCode !== null)
      throw new Error(`cookieguard exited (${child.exitCode}) before ${what}: ${text}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got: ${text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Spawns `cookieguard dev ARGS` and waits for its listening line (bounded). */
export async function startDev(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<DevRun> {
  const child = spawn(process.execPath, [BIN, 'dev', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const run: DevRun = {
    child,
    port: 0,
    stdout: () => out,
    stderr: () => err,
    waitStdout: (re, ms = 60_000) => waitFor(() => out, re, ms, `stdout ${re}`, child),
    async stop(signal: NodeJS.Signals = 'SIGINT') {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const [code] = (await exited) as [number | null];
      clearTimeout(t);
      return code;
    },
  };
  try {
    const line = await waitFor(() => err, /listening on [^\n]*\)\n/, timeoutMs, 'the listening line', child);
    run.port = Number(/:(\d+)\)\n$/.exec(line)?.[1] ?? /:(\d+)/.exec(line)?.[1]);
    if (!args.includes('--quiet'))
      await waitFor(() => err, /Ctrl-C stops\.\n/, timeoutMs, 'the start-up notes', child);
    const m = /plain http:\/\/localhost:(\d+) redirects/.exec(err);
    if (m) run.httpPort = Number(m[1]);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return run;
}

/** Runs `cookieguard ARGS` to completion (bounded). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}
