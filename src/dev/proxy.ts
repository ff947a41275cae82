/**
 * The HTTPS reverse proxy of `cookieguard dev`: TLS in front of an app that speaks plain HTTP.
 *
 * - Streams both ways (stream.pipeline: backpressure, nothing buffered beyond stream buffers), with
 *   method, path, query, headers and body unchanged apart from hop-by-hop fields and the forwarding
 *   headers of src/dev/forwarded.ts.
 * - Forwards only to its target: the upstream host and port are fixed; a request whose target is
 *   not origin-form (an absolute URI such as `GET http://other.host/`, or CONNECT) is refused, so the
 *   proxy can never be used to reach another host (an open proxy).
 * - WebSocket (and any HTTP/1.1 Upgrade) is passed through: the app's 101 is relayed and both sockets
 *   are piped into each other.
 * - Plain HTTP arriving on the HTTPS port (the first byte is not a TLS handshake record, 0x16 —
 *   RFC 8446 §5.1 ContentType handshake(22)) and the optional `--http-port` listener answer with a
 *   307 to the HTTPS URL (307: temporary, so browsers do not cache it for the next app on that port,
 *   and the method and body are kept — RFC 9110 §15.4.8).
 * - When the app does not answer, the proxy answers 502 with a page that says so, and keeps running.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream';
import { UserError } from '../model/errors.js';
import { acceptableTarget, forwardRequestHeaders, forwardResponseHeaders } from './forwarded.js';
import { badGatewayPage, upstreamErrorText } from './error-page.js';
import { isLoopbackAddress, stripBrackets, urlHost } from './names.js';
import type { ProxiedResponse } from './cookie-log.js';

export type ProxyEvent =
  | { kind: 'upstream-error'; method: string; path: string; code: string; text: string }
  | { kind: 'upstream-back' }
  | { kind: 'refused'; method: string; target: string; reason: string }
  | { kind: 'internal-error'; message: string };

export interface DevProxyOptions {
  /** The app: an http:// origin. */
  target: URL;
  /** HTTPS port; 0 picks a free one. */
  port: number;
  /** Plain-HTTP port that redirects to HTTPS (optional); 0 picks a free one. */
  httpPort?: number;
  /** Addresses to listen on. */
  bind: readonly string[];
  /** Addresses in `bind` whose failure to bind is ignored when the machine lacks them (IPv6 loopback). */
  optionalBind?: readonly string[];
  cert: { certPem: string; keyPem: string };
  /** Names the certificate carries: a redirect to HTTPS keeps the Host's name only when it is one of them. */
  names: readonly string[];
  /** Called with every response the app sent (headers only), for the cookie log. */
  onResponse?: (r: ProxiedResponse) => void;
  onEvent?: (e: ProxyEvent) => void;
  /** How long connecting to the app may take (default 10 s). */
  connectTimeoutMs?: number;
}

export interface DevProxy {
  /** The HTTPS port. */
  port: number;
  /** The redirecting plain-HTTP port, when asked for. */
  httpPort?: number;
  /** Addresses actually listened on. */
  addresses: string[];
  /** Serve another certificate from now on (renewal). */
  setCertificate(cert: { certPem: string; keyPem: string }): void;
  /** Stop listening and close every connection. */
  close(): Promise<void>;
}

const noop = (): void => undefined;

/**
 * Two sockets piped into each other (a switched protocol): each end's data goes to the other, an end
 * is passed on, and when either closes both are destroyed. (Two stream.pipeline calls would do the
 * same with more listeners on sockets the HTTP server already listens to.)
 */
function splice(a: Duplex, b: Duplex): void {
  a.pipe(b);
  b.pipe(a);
  const both = () => {
    a.destroy();
    b.destroy();
  };
  a.once('close', both);
  b.once('close', both);
}

function listenError(e: NodeJS.ErrnoException, address: string, port: number, flag: string): UserError {
  const where = `${urlHost(address)}:${port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new UserError(
        `port ${port} is in use on ${urlHost(address)}: stop what uses it, or choose another with ${flag}`,
      );
    case 'EACCES':
      return new UserError(
        `cannot listen on ${where}: permission denied${port < 1024 ? ' (ports below 1024 need privileges; use e.g. 8443)' : ''}`,
      );
    case 'EADDRNOTAVAIL':
      return new UserError(`cannot listen on ${urlHost(address)}: the address is not on this machine`);
    default:
      return new UserError(`cannot listen on ${where}: ${e.message}`);
  }
}

function listenOne(server: net.Server, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host: address, ipv6Only: net.isIPv6(address) });
  });
}

function closeServer(s: net.Server): Promise<void> {
  return new Promise((resolve) => s.close(() => resolve()));
}

const OPTIONAL_CODES = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL']);

/** Listen on every address on one port (the first address picks it when `port` is 0). */
async function listenAll(
  make: () => net.Server,
  addresses: readonly string[],
  port: number,
  optional: ReadonlySet<string>,
  flag: string,
): Promise<{ servers: net.Server[]; port: number; addresses: string[] }> {
  for (let attempt = 0; ; attempt++) {
    const servers: net.Server[] = [];
    const bound: string[] = [];
    let actual = port;
    try {
      for (const address of addresses) {
        const s = make();
        try {
          actual = await listenOne(s, address, actual);
          servers.push(s);
          bound.push(address);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          if (optional.has(address) && OPTIONAL_CODES.has(err.code ?? '')) continue;
          throw Object.assign(err, { address, port: actual });
        }
      }
      if (servers.length === 0) throw new UserError('none of the addresses to listen on is available');
      return { servers, port: actual, addresses: bound };
    } catch (e) {
      await Promise.all(servers.map(closeServer));
      if (e instanceof UserError) throw e;
      const err = e as NodeJS.ErrnoException & { address: string; port: number };
      // An ephemeral port free on the first address but taken on another: pick again.
      if (port === 0 && err.code === 'EADDRINUSE' && bound.length > 0 && attempt < 5) continue;
      throw listenError(err, err.address, err.port, flag);
    }
  }
}

/** Start the proxy. Listening errors (port in use, no such address) are UserErrors. */
export async function startDevProxy(opts: DevProxyOptions): Promise<DevProxy> {
  const target = opts.target;
  const upstreamHost = stripBrackets(target.hostname);
  const upstreamPort = Number(target.port || 80);
  const targetText = target.origin;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Set<Duplex>();
  let httpsPort = 0;
  let down = false;

  const emit = (e: ProxyEvent) => {
    try {
      opts.onEvent?.(e);
    } catch {
      /* a logging problem never stops the proxy */
    }
  };
  const report = (r: ProxiedResponse) => {
    try {
      opts.onResponse?.(r);
    } catch (e) {
      emit({ kind: 'internal-error', message: `cookie log: ${(e as Error).message}` });
    }
  };
  const track = (s: Duplex) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  const upstreamFailed = (method: string, path: string, err: NodeJS.ErrnoException) => {
    down = true;
    emit({ kind: 'upstream-error', method, path, code: err.code ?? 'ERROR', text: upstreamErrorText(err) });
  };
  const upstreamOk = () => {
    if (down) {
      down = false;
      emit({ kind: 'upstream-back' });
    }
  };

  /** Connecting to the app may take connectTimeoutMs at most (answers can take as long as they like). */
  const limitConnect = (req: http.ClientRequest) => {
    req.once('socket', (s) => {
      if (!s.connecting) return;
      const t = setTimeout(() => {
        req.destroy(Object.assign(new Error('connect timeout'), { code: 'CONNECT_TIMEOUT' }));
      }, connectTimeoutMs);
      s.once('connect', () => clearTimeout(t));
      s.once('close', () => clearTimeout(t));
    });
  };

  const originOf = (req: http.IncomingMessage): string => {
    const host = req.headers.host;
    return host ? `https://${host}` : `https://localhost:${httpsPort}`;
  };

  // ---- ordinary requests ------------------------------------------------------------------
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.sendDate = false; // the app's Date goes through as it is
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (!acceptableTarget(method, req.url)) {
      emit({ kind: 'refused', method, target: path, reason: 'not an origin-form request target' });
      const body = `cookieguard dev forwards only to ${targetText}: absolute-form request targets (proxy requests to other hosts) are refused\n`;
      res.writeHead(400, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        Connection: 'close',
      });
      res.end(body);
      return;
    }
    const headers = forwardRequestHeaders(req.rawHeaders, {
      clientAddress: req.socket.remoteAddress ?? '',
      host: req.headers.host,
      port: httpsPort,
    });
    if (req.headers.host === undefined) headers.push('Host', target.host);
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
    const retryable =
      (method === 'GET' || method === 'HEAD') && !hasBody && req.headers['transfer-encoding'] === undefined;

    const send = (retry: boolean) => {
      const up = http.request({
        host: upstreamHost,
        port: upstreamPort,
        method,
        path,
        headers,
        setHost: false,
        agent,
      });
      limitConnect(up);
      up.on('response', (ures) => {
        upstreamOk();
        const status = ures.statusCode ?? 502;
        try {
          res.writeHead(status, ures.statusMessage, forwardResponseHeaders(ures.rawHeaders));
        } catch {
          ures.resume();
          badGateway(req, res, Object.assign(new Error('bad header'), { code: 'BAD_RESPONSE_HEADER' }));
          return;
        }
        report({
          method,
          origin: originOf(req),
          path,
          status,
          headers: ures.rawHeaders,
          forwardedProto: true,
        });
        pipeline(ures, res, noop);
      });
      up.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the app closed meanwhile: a request without a body is sent again
        // once on a new connection (Node's http docs, "agent.keepAlive" / request.reusedSocket).
        if (retry && up.reusedSocket && err.code === 'ECONNRESET' && !res.headersSent && !req.destroyed) {
          send(false);
          return;
        }
        if (res.headersSent) {
          res.destroy();
          return;
        }
        upstreamFailed(method, path, err);
        badGateway(req, res, err);
      });
      if (retryable) {
        up.end();
        req.resume();
      } else {
        pipeline(req, up, (err) => {
          if (err) up.destroy();
        });
      }
    };
    send(retryable);
  };

  const badGateway = (req: http.IncomingMessage, res: http.ServerResponse, err: NodeJS.ErrnoException) => {
    if (res.headersSent || res.destroyed) return;
    const reload = req.method === 'GET' || req.method === 'HEAD';
    const body = badGatewayPage(targetText, upstreamErrorText(err), reload);
    res.writeHead(502, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'Retry-After': '2',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  // ---- protocol upgrades (WebSocket) ----------------------------------------------------------
  const rawResponse = (socket: Duplex, status: string, body: string) => {
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', noop);
    track(socket);
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (!acceptableTarget(method, req.url)) {
      emit({ kind: 'refused', method, target: path, reason: 'not an origin-form request target' });
      rawResponse(socket, '400 Bad Request', `cookieguard dev forwards only to ${targetText}\n`);
      return;
    }
    const headers = forwardRequestHeaders(
      req.rawHeaders,
      { clientAddress: req.socket.remoteAddress ?? '', host: req.headers.host, port: httpsPort },
      { upgrade: true },
    );
    if (req.headers.host === undefined) headers.push('Host', target.host);
    const up = http.request({
      host: upstreamHost,
      port: upstreamPort,
      method,
      path,
      headers,
      setHost: false,
      agent: false,
    });
    limitConnect(up);
    socket.once('close', () => up.destroy());
    up.on('upgrade', (ures, usock, uhead) => {
      upstreamOk();
      usock.on('error', noop);
      track(usock);
      if (socket.destroyed) {
        usock.destroy();
        return;
      }
      const hs = forwardResponseHeaders(ures.rawHeaders, { upgrade: true });
      let headText = `HTTP/1.1 101 ${ures.statusMessage || 'Switching Protocols'}\r\n`;
      for (let i = 0; i + 1 < hs.length; i += 2) headText += `${hs[i]}: ${hs[i + 1]}\r\n`;
      socket.write(headText + '\r\n');
      if (uhead.length > 0) socket.write(uhead);
      if (head.length > 0) usock.write(head);
      report({
        method,
        origin: originOf(req),
        path,
        status: 101,
        headers: ures.rawHeaders,
        forwardedProto: true,
      });
      splice(socket, usock);
    });
    up.on('response', (ures) => {
      // The app did not switch protocols: relay its answer, close-delimited.
      upstreamOk();
      const status = ures.statusCode ?? 502;
      const hs = forwardResponseHeaders(ures.rawHeaders).filter((_, i, a) =>
        i % 2 === 0 ? a[i]!.toLowerCase() !== 'content-length' : a[i - 1]!.toLowerCase() !== 'content-length',
      );
      let headText = `HTTP/1.1 ${status} ${ures.statusMessage ?? ''}\r\n`;
      for (let i = 0; i + 1 < hs.length; i += 2) headText += `${hs[i]}: ${hs[i + 1]}\r\n`;
      socket.write(headText + 'Connection: close\r\n\r\n');
      report({ method, origin: originOf(req), path, status, headers: ures.rawHeaders, forwardedProto: true });
      pipeline(ures, socket, noop);
    });
    up.on('error', (err: NodeJS.ErrnoException) => {
      upstreamFailed(method, path, err);
      if (!socket.destroyed)
        rawResponse(
          socket,
          '502 Bad Gateway',
          `cookieguard dev: the app at ${targetText} ${upstreamErrorText(err)}\n`,
        );
    });
    up.end();
  };

  // ---- plain HTTP: redirect to HTTPS -----------------------------------------------------------
  const names = opts.names.map((n) => n.toLowerCase());
  const redirectHost = (hostHeader: string | undefined): string => {
    if (!hostHeader) return 'localhost';
    let hostname: string;
    try {
      hostname = stripBrackets(new URL(`http://${hostHeader}`).hostname).toLowerCase();
    } catch {
      return 'localhost';
    }
    // Only names this certificate carries (a Host made up by a client is not echoed into Location).
    return names.includes(hostname) ? hostname : 'localhost';
  };
  const redirectServer = http.createServer((req, res) => {
    const path = acceptableTarget(req.method, req.url) && req.url !== '*' ? req.url! : '/';
    const location = `https://${urlHost(redirectHost(req.headers.host))}${httpsPort === 443 ? '' : `:${httpsPort}`}${path}`;
    const body = `Redirecting to ${location}\n`;
    res.writeHead(307, {
      Location: location,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      Connection: 'close',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  redirectServer.on('clientError', (_e, socket) => socket.destroy());

  // ---- TLS ---------------------------------------------------------------------------------
  const tlsServer = https.createServer(
    { cert: opts.cert.certPem, key: opts.cert.keyPem, requestTimeout: 0 },
    onRequest,
  );
  tlsServer.on('upgrade', onUpgrade);
  tlsServer.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
    socket.on('error', noop);
    emit({
      kind: 'refused',
      method: 'CONNECT',
      target: req.url ?? '',
      reason: 'CONNECT is a forward-proxy method',
    });
    rawResponse(
      socket,
      '405 Method Not Allowed',
      `cookieguard dev forwards only to ${targetText}: CONNECT is refused\n`,
    );
  });
  tlsServer.on('tlsClientError', noop);

  /** First byte 0x16: a TLS handshake; anything else is plain HTTP, answered with a redirect. */
  const onHttpsPortConnection = (socket: net.Socket) => {
    socket.on('error', noop);
    track(socket);
    socket.setTimeout(30_000, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(chunk);
      (chunk[0] === 0x16 ? tlsServer : redirectServer).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  };
  const onHttpPortConnection = (socket: net.Socket) => {
    socket.on('error', noop);
    track(socket);
    redirectServer.emit('connection', socket);
  };

  const optional = new Set(opts.optionalBind ?? []);
  const main = await listenAll(
    () => net.createServer({ pauseOnConnect: false }, onHttpsPortConnection),
    opts.bind,
    opts.port,
    optional,
    '--port',
  );
  httpsPort = main.port;
  let extra: { servers: net.Server[]; port: number } | undefined;
  if (opts.httpPort !== undefined) {
    try {
      extra = await listenAll(
        () => net.createServer(onHttpPortConnection),
        main.addresses,
        opts.httpPort,
        new Set(),
        '--http-port',
      );
    } catch (e) {
      await Promise.all(main.servers.map(closeServer));
      throw e;
    }
  }
  const servers = [...main.servers, ...(extra?.servers ?? [])];
  for (const s of servers) s.on('error', (e) => emit({ kind: 'internal-error', message: e.message }));

  let closed: Promise<void> | undefined;
  return {
    port: httpsPort,
    ...(extra ? { httpPort: extra.port } : {}),
    addresses: main.addresses,
    setCertificate(cert) {
      tlsServer.setSecureContext({ cert: cert.certPem, key: cert.keyPem });
    },
    close() {
      closed ??= (async () => {
        const done = Promise.all(servers.map(closeServer));
        for (const s of sockets) s.destroy();
        agent.destroy();
        await done;
      })();
      return closed;
    },
  };
}

/** Whether every address is a loopback address (the proxy is not reachable from the network). */
export function loopbackOnly(addresses: readonly string[]): boolean {
  return addresses.every((a) => isLoopbackAddress(a));
}
