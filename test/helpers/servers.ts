/**
 * Loopback servers for tests: an HTTPS site and its plain-HTTP twin driven by route tables, plus
 * raw TCP/TLS servers for fault cases. Every server binds 127.0.0.1 (or ::1) on an ephemeral port
 * and records what it received, so tests can assert on what a client sent (cookies, headers).
 *
 *   const ca = await makeTestCa();
 *   const site = await startTestSite({
 *     cert: await ca.issue(LOOPBACK_NAMES),
 *     https: { '/': { headers: { 'set-cookie': ['a=1; Secure', 'b=2'] }, body: 'hi' } },
 *     http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
 *   });
 *   ... site.httpsOrigin, site.httpOrigin, site.requests ...
 *   await site.close();
 *
 * In header values and bodies, `{https}` / `{http}` are replaced by the origins of the site (known
 * only once the ports are bound), `{path}` by the request's path and query.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IssuedCert } from './tls.js';

export interface RouteResponse {
  status?: number;
  /** Header values; an array sends the header several times (e.g. several Set-Cookie). */
  headers?: Record<string, string | number | string[]>;
  body?: string | Buffer;
  /** Answer only after this many milliseconds (a slow page). */
  delayMs?: number;
}

export interface RouteContext {
  scheme: 'http' | 'https';
  httpsOrigin: string;
  httpOrigin: string;
  /** Requests this server received so far (including the current one). */
  requests: RecordedRequest[];
}

/** A fixed response, or a function of the request (return undefined for 404). */
export type Route = RouteResponse | ((req: RecordedRequest, ctx: RouteContext) => RouteResponse | undefined);
/** Path (without query) → route; `*` matches any path without its own entry. */
export type Routes = Record<string, Route>;

export interface RecordedRequest {
  scheme: 'http' | 'https';
  method: string;
  /** Path and query as received. */
  url: string;
  /** Path without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Local port the request arrived on. */
  port: number;
}

export interface TestSite {
  host: string;
  httpsPort: number;
  httpPort: number;
  /** e.g. https://127.0.0.1:41234 */
  httpsOrigin: string;
  httpOrigin: string;
  /** Every request either server received, in order. */
  requests: RecordedRequest[];
  /** TCP connections accepted so far by each server (to see keep-alive at work). */
  connections(): { https: number; http: number };
  close(): Promise<void>;
}

export interface TestSiteOptions {
  cert: IssuedCert;
  https?: Routes;
  /** Routes of the plain-HTTP twin; omitted: no HTTP server is started (httpPort 0). */
  http?: Routes;
  /** Address to bind: 127.0.0.1 (default) or ::1. */
  host?: string;
  /** Name used in the origins (default: the bound address, bracketed for IPv6). */
  originHost?: string;
}

function origin(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function fill(s: string, ctx: RouteContext, req: RecordedRequest): string {
  return s
    .replaceAll('{https}', ctx.httpsOrigin)
    .replaceAll('{http}', ctx.httpOrigin)
    .replaceAll('{path}', req.url);
}

function handler(routes: Routes, ctxOf: () => RouteContext) {
  return (req: http.IncomingMessage, res: http.ServerResponse) => {
    const ctx = ctxOf();
    const url = req.url ?? '/';
    const rec: RecordedRequest = {
      scheme: ctx.scheme,
      method: req.method ?? 'GET',
      url,
      path: url.split('?')[0]!,
      headers: req.headers,
      port: (req.socket.localPort as number) ?? 0,
    };
    ctx.requests.push(rec);
    req.resume();
    const route = routes[rec.path] ?? routes['*'];
    const r = typeof route === 'function' ? route(rec, ctx) : route;
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) {
      headers[k] = Array.isArray(v) ? v.map((x) => fill(x, ctx, rec)) : fill(String(v), ctx, rec);
    }
    const body = typeof r.body === 'string' ? fill(r.body, ctx, rec) : (r.body ?? '');
    const answer = (): void => {
      res.writeHead(r.status ?? 200, headers);
      res.end(body);
    };
    if (r.delayMs) setTimeout(answer, r.delayMs).unref();
    else answer();
  };
}

/** Listen on an ephemeral loopback port; resolves with the port. */
export function listen(server: net.Server, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Close a server and destroy its open connections (keep-alive, hanging clients). */
export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    if (server instanceof http.Server) server.closeAllConnections();
    for (const s of sockets.get(server) ?? []) s.destroy();
  });
}

const sockets = new WeakMap<net.Server, Set<net.Socket>>();
const accepted = new WeakMap<net.Server, number>();
function trackSockets(server: net.Server): void {
  const set = new Set<net.Socket>();
  sockets.set(server, set);
  accepted.set(server, 0);
  server.on('connection', (s: net.Socket) => {
    accepted.set(server, accepted.get(server)! + 1);
    set.add(s);
    s.on('close', () => set.delete(s));
    s.on('error', () => {});
  });
}

/** An HTTPS site and (optionally) its plain-HTTP twin on ephemeral loopback ports. */
export async function startTestSite(opts: TestSiteOptions): Promise<TestSite> {
  const host = opts.host ?? '127.0.0.1';
  const originHost = opts.originHost ?? host;
  const requests: RecordedRequest[] = [];
  let httpsOrigin = '';
  let httpOrigin = '';
  const ctx = (scheme: 'http' | 'https') => (): RouteContext => ({
    scheme,
    httpsOrigin,
    httpOrigin,
    requests,
  });

  const secure = https.createServer(
    { cert: opts.cert.chainPem, key: opts.cert.keyPem },
    handler(opts.https ?? {}, ctx('https')),
  );
  trackSockets(secure);
  secure.on('tlsClientError', () => {});
  const httpsPort = await listen(secure, host);
  httpsOrigin = origin('https', originHost, httpsPort);

  let plain: http.Server | null = null;
  let httpPort = 0;
  if (opts.http) {
    plain = http.createServer(handler(opts.http, ctx('http')));
    trackSockets(plain);
    httpPort = await listen(plain, host);
    httpOrigin = origin('http', originHost, httpPort);
  }
  return {
    host,
    httpsPort,
    httpPort,
    httpsOrigin,
    httpOrigin,
    requests,
    connections: () => ({ https: accepted.get(secure) ?? 0, http: plain ? (accepted.get(plain) ?? 0) : 0 }),
    async close() {
      await Promise.all([closeServer(secure), plain ? closeServer(plain) : Promise.resolve()]);
    },
  };
}

/** A plain-HTTP server with a route table (`{http}` in values is its own origin). */
export async function startHttpServer(
  routes: Routes,
  host = '127.0.0.1',
): Promise<{ port: number; origin: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  let o = '';
  const server = http.createServer(
    handler(routes, () => ({ scheme: 'http', httpsOrigin: '', httpOrigin: o, requests })),
  );
  trackSockets(server);
  const port = await listen(server, host);
  o = origin('http', host, port);
  return { port, origin: o, requests, close: () => closeServer(server) };
}

/**
 * A raw TCP server: `onConnection` gets every accepted socket (write garbage, stall, reset ...).
 * Sockets are destroyed on close.
 */
export async function startNetServer(
  onConnection: (socket: net.Socket) => void,
  host = '127.0.0.1',
): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    onConnection(s);
  });
  trackSockets(server);
  const port = await listen(server, host);
  return { port, connections: () => count, close: () => closeServer(server) };
}

/** A raw TLS server: `onConnection` gets every socket after the handshake. */
export async function startTlsServer(
  cert: IssuedCert,
  onConnection: (socket: tls.TLSSocket) => void,
  host = '127.0.0.1',
): Promise<{ port: number; close(): Promise<void> }> {
  const server = tls.createServer({ cert: cert.chainPem, key: cert.keyPem }, onConnection);
  trackSockets(server);
  server.on('tlsClientError', () => {});
  const port = await listen(server, host);
  return { port, close: () => closeServer(server) };
}

/** A port that nothing listens on (bound then released; another process could take it, rarely). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  const port = await listen(s, host);
  await closeServer(s);
  return port;
}
