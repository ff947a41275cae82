/**
 * The reverse proxy against real node:http apps on loopback, with the CA and leaf of
 * src/dev/ca-store.ts in a temporary directory. Clients trust only that CA.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import { ensureDevCa, ensureLeaf } from '../../src/dev/ca-store.js';
import type { DevCa, DevLeaf } from '../../src/dev/ca-store.js';
import { certificateNames } from '../../src/dev/names.js';
import { startDevProxy } from '../../src/dev/proxy.js';
import type { DevProxy, ProxyEvent } from '../../src/dev/proxy.js';
import type { ProxiedResponse } from '../../src/dev/cookie-log.js';
import { httpsRequest, startUpstream, tempDir } from './helpers.js';
import type { Upstream } from './helpers.js';
import { acceptFor, echoServer, encodeFrame, newKey, readFrame } from './ws.js';

let dir: { dir: string; cleanup(): void };
let devCa: DevCa;
let leaf: DevLeaf;
const NAMES = certificateNames(['myapp.test']);

before(async () => {
  dir = tempDir('proxy');
  devCa = await ensureDevCa(dir.dir);
  leaf = await ensureLeaf(devCa, NAMES);
});
after(() => dir.cleanup());

interface Setup {
  app: Upstream;
  proxy: DevProxy;
  responses: ProxiedResponse[];
  events: ProxyEvent[];
  close(): Promise<void>;
}

async function setup(
  handler: Parameters<typeof startUpstream>[0],
  opts: { httpPort?: number } = {},
): Promise<Setup> {
  const app = await startUpstream(handler);
  const responses: ProxiedResponse[] = [];
  const events: ProxyEvent[] = [];
  const proxy = await startDevProxy({
    target: new URL(app.origin),
    port: 0,
    ...(opts.httpPort !== undefined ? { httpPort: opts.httpPort } : {}),
    bind: ['127.0.0.1', '::1'],
    optionalBind: ['::1'],
    cert: leaf,
    names: NAMES,
    onResponse: (r) => responses.push(r),
    onEvent: (e) => events.push(e),
  });
  return {
    app,
    proxy,
    responses,
    events,
    async close() {
      await proxy.close();
      await app.close();
    },
  };
}

const get = (s: Setup, path: string, extra: Partial<Parameters<typeof httpsRequest>[0]> = {}) =>
  httpsRequest({
    host: '127.0.0.1',
    servername: 'localhost',
    port: s.proxy.port,
    ca: devCa.certPem,
    path,
    ...extra,
  });

test(
  'the certificate verifies against the CA for localhost, 127.0.0.1, ::1 and --host names',
  { timeout: 60_000 },
  async () => {
    const s = await setup((_q, r) => r.end('hello'));
    try {
      for (const [host, servername] of [
        ['127.0.0.1', 'localhost'],
        ['127.0.0.1', undefined],
        ['::1', undefined],
        ['127.0.0.1', 'myapp.test'],
      ] as const) {
        const r = await httpsRequest({
          host,
          port: s.proxy.port,
          ca: devCa.certPem,
          ...(servername ? { servername } : {}),
        });
        assert.equal(r.status, 200, `${host} ${servername}`);
        assert.equal(r.body.toString(), 'hello');
      }
      await assert.rejects(
        httpsRequest({ host: '127.0.0.1', servername: 'other.test', port: s.proxy.port, ca: devCa.certPem }),
        /altnames|does not match|ERR_TLS_CERT_ALTNAME_INVALID/,
      );
      await assert.rejects(
        httpsRequest({
          host: '127.0.0.1',
          servername: 'localhost',
          port: s.proxy.port,
          ca: (await import('../../src/tls/ca.js').then((m) => m.createCa())).certPem,
        }),
        /self.signed|unable to verify|UNABLE_TO_VERIFY/i,
      );
    } finally {
      await s.close();
    }
  },
);

test(
  'the app sees the forwarding headers; spoofed ones are replaced; method, path, query and headers pass unchanged',
  { timeout: 60_000 },
  async () => {
    const s = await setup((q, r) => {
      r.setHeader('Content-Type', 'application/json');
      r.end(JSON.stringify({ method: q.method, url: q.url }));
    });
    try {
      const res = await get(s, '/a/b%20c?x=1&y=%2F', {
        method: 'PATCH',
        headers: [
          'Host',
          `localhost:${s.proxy.port}`,
          'X-Forwarded-Proto',
          'http',
          'X-Forwarded-For',
          '203.0.113.7',
          'X-Forwarded-Host',
          'evil.example',
          'X-Custom',
          'Kept',
          'Cookie',
          'a=1; b=2',
        ],
      });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body.toString()), { method: 'PATCH', url: '/a/b%20c?x=1&y=%2F' });
      const seen = s.app.requests[0]!;
      assert.equal(seen.headers['x-forwarded-proto'], 'https');
      assert.equal(
        seen.headers['x-forwarded-host'],
        seen.headers.host,
        'X-Forwarded-Host is the Host the client sent',
      );
      assert.equal(seen.headers.host, `localhost:${s.proxy.port}`);
      assert.equal(seen.headers['x-forwarded-port'], String(s.proxy.port));
      assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
      assert.equal(seen.headers.forwarded, `for=127.0.0.1;host="localhost:${s.proxy.port}";proto=https`);
      assert.equal(seen.headers['x-custom'], 'Kept');
      assert.equal(seen.headers.cookie, 'a=1; b=2');
      assert.ok(seen.rawHeaders.includes('X-Custom'), 'header name case kept');
    } finally {
      await s.close();
    }
  },
);

test(
  'bodies pass unchanged both ways; Set-Cookie repeats, status text, HEAD and 204 too',
  { timeout: 60_000 },
  async () => {
    const s = await setup((q, r) => {
      if (q.url === '/echo') {
        const h = createHash('sha256');
        const chunks: Buffer[] = [];
        q.on('data', (c: Buffer) => {
          h.update(c);
          chunks.push(c);
        });
        q.on('end', () => {
          r.writeHead(201, 'Made It', [
            'Set-Cookie',
            'a=1; Path=/; Secure; HttpOnly',
            'Set-Cookie',
            'b=2; Path=/; Secure',
            'X-Body-Sha256',
            h.digest('hex'),
          ]);
          r.end(Buffer.concat(chunks));
        });
        return;
      }
      if (q.url === '/empty') {
        r.writeHead(204);
        r.end();
        return;
      }
      r.setHeader('Content-Length', '5');
      r.end(q.method === 'HEAD' ? undefined : 'hello');
    });
    try {
      const body = randomBytes(1024 * 1024 + 17);
      const res = await get(s, '/echo', {
        method: 'PUT',
        body,
        headers: { 'Content-Type': 'application/octet-stream' },
      });
      assert.equal(res.status, 201);
      assert.equal(res.headers['x-body-sha256'], createHash('sha256').update(body).digest('hex'));
      assert.ok(res.body.equals(body), 'response body identical');
      assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/; Secure; HttpOnly', 'b=2; Path=/; Secure']);
      const statusText = await new Promise<string>((resolve, reject) => {
        const q = https.request(
          {
            host: '127.0.0.1',
            servername: 'localhost',
            port: s.proxy.port,
            ca: devCa.certPem,
            path: '/echo',
            method: 'POST',
            agent: false,
          },
          (r) => {
            r.resume();
            resolve(r.statusMessage ?? '');
          },
        );
        q.on('error', reject);
        q.end('x');
      });
      assert.equal(statusText, 'Made It');
      const head = await get(s, '/', { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], '5');
      assert.equal(head.body.length, 0);
      const empty = await get(s, '/empty', { method: 'DELETE' });
      assert.equal(empty.status, 204);
      // the cookie log hook saw the Set-Cookie headers of the response
      const echo = s.responses.find((r) => r.path === '/echo' && r.method === 'PUT')!;
      assert.equal(echo.status, 201);
      assert.equal(echo.forwardedProto, true);
      assert.equal(echo.origin, `https://127.0.0.1:${s.proxy.port}`);
      assert.deepEqual(
        echo.headers.filter((_, i, a) => i % 2 === 1 && a[i - 1] === 'Set-Cookie'),
        ['a=1; Path=/; Secure; HttpOnly', 'b=2; Path=/; Secure'],
      );
    } finally {
      await s.close();
    }
  },
);

/** Send raw bytes over TLS to the proxy and read the whole answer (the proxy closes). */
function rawTls(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: devCa.certPem }, () =>
      sock.write(text),
    );
    let out = '';
    sock.on('data', (d) => (out += d));
    sock.on('end', () => resolve(out));
    sock.on('close', () => resolve(out));
    sock.on('error', reject);
    sock.setTimeout(10_000, () => sock.destroy(new Error('raw TLS request timed out')));
  });
}

test(
  'not an open proxy: absolute-form targets and CONNECT are refused, nothing reaches another host',
  { timeout: 60_000 },
  async () => {
    const s = await setup((_q, r) => r.end('target'));
    const other = await startUpstream((_q, r) => r.end('SECRET of another host'));
    try {
      const abs = await rawTls(
        s.proxy.port,
        `GET http://127.0.0.1:${other.port}/secret HTTP/1.1\r\nHost: 127.0.0.1:${other.port}\r\nConnection: close\r\n\r\n`,
      );
      assert.match(abs, /^HTTP\/1\.1 400 /);
      assert.ok(!abs.includes('SECRET'));
      const absHttps = await rawTls(
        s.proxy.port,
        `GET https://example.com/ HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n`,
      );
      assert.match(absHttps, /^HTTP\/1\.1 400 /);
      const connect = await rawTls(
        s.proxy.port,
        `CONNECT 127.0.0.1:${other.port} HTTP/1.1\r\nHost: 127.0.0.1:${other.port}\r\n\r\n`,
      );
      assert.match(connect, /^HTTP\/1\.1 405 /);
      // a Host header naming another host still goes to the target only
      const hosted = await rawTls(
        s.proxy.port,
        `GET /secret HTTP/1.1\r\nHost: 127.0.0.1:${other.port}\r\nConnection: close\r\n\r\n`,
      );
      assert.match(hosted, /^HTTP\/1\.1 200 [\s\S]*target$/);
      const slashes = await rawTls(
        s.proxy.port,
        `GET //127.0.0.1:${other.port}/secret HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      assert.match(slashes, /target$/);
      assert.equal(other.requests.length, 0, 'the other host got nothing');
      assert.deepEqual(
        s.app.requests.map((r) => r.url),
        ['/secret', `//127.0.0.1:${other.port}/secret`],
      );
      assert.deepEqual(
        s.events.filter((e) => e.kind === 'refused').map((e) => (e as { method: string }).method),
        ['GET', 'GET', 'CONNECT'],
      );
    } finally {
      await other.close();
      await s.close();
    }
  },
);

function plainGet(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port }, () =>
      sock.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    let out = '';
    sock.on('data', (d) => (out += d));
    sock.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(out)?.[1] ?? 0);
      resolve({ status, location: /\r\nLocation: ([^\r]*)\r\n/i.exec(out)?.[1] });
    });
    sock.on('error', reject);
    sock.setTimeout(10_000, () => sock.destroy(new Error('timed out')));
  });
}

test(
  'plain HTTP (on the HTTPS port, or --http-port) is redirected to HTTPS with 307; a made-up Host is not echoed',
  { timeout: 60_000 },
  async () => {
    const s = await setup((_q, r) => r.end('app'), { httpPort: 0 });
    try {
      const p = s.proxy.port;
      assert.ok(s.proxy.httpPort !== undefined && s.proxy.httpPort !== p);
      for (const port of [p, s.proxy.httpPort!]) {
        assert.deepEqual(await plainGet(port, '/x?y=1', `localhost:${port}`), {
          status: 307,
          location: `https://localhost:${p}/x?y=1`,
        });
        assert.deepEqual(await plainGet(port, '/', `127.0.0.1:${port}`), {
          status: 307,
          location: `https://127.0.0.1:${p}/`,
        });
        assert.deepEqual(await plainGet(port, '/', `[::1]:${port}`), {
          status: 307,
          location: `https://[::1]:${p}/`,
        });
        assert.deepEqual(await plainGet(port, '/', `myapp.test:${port}`), {
          status: 307,
          location: `https://myapp.test:${p}/`,
        });
        assert.deepEqual(await plainGet(port, '/', 'evil.example'), {
          status: 307,
          location: `https://localhost:${p}/`,
        });
      }
      assert.equal(s.app.requests.length, 0, 'plain HTTP never reaches the app');
      // TLS still works on the same port afterwards
      assert.equal((await get(s, '/')).body.toString(), 'app');
    } finally {
      await s.close();
    }
  },
);

function upgrade(
  s: Setup,
  path: string,
  key: string,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  socket?: Duplex;
  head?: Buffer;
  body?: string;
}> {
  return new Promise((resolve, reject) => {
    const q = https.request({
      host: '127.0.0.1',
      servername: 'localhost',
      port: s.proxy.port,
      ca: devCa.certPem,
      path,
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Version': '13',
      },
    });
    q.on('upgrade', (res, socket, head) =>
      resolve({ status: res.statusCode ?? 0, headers: res.headers, socket, head }),
    );
    q.on('response', (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    q.on('error', reject);
    q.setTimeout(10_000, () => q.destroy(new Error('upgrade timed out')));
    q.end();
  });
}

test(
  'WebSocket upgrades pass through: handshake, frames both ways, forwarding headers; a refused upgrade is relayed',
  { timeout: 60_000 },
  async () => {
    const s = await setup((_q, r) => r.end('plain'));
    s.app.server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      s.app.requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
      });
      if (req.url !== '/ws') {
        socket.end(
          'HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\r\nno socket',
        );
        return;
      }
      const key = String(req.headers['sec-websocket-key']);
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\nSet-Cookie: ws_session=abc; Path=/; Secure; HttpOnly\r\n\r\n`,
      );
      echoServer(socket, head);
    });
    try {
      const key = newKey();
      const up = await upgrade(s, '/ws', key);
      assert.equal(up.status, 101);
      assert.equal(up.headers['sec-websocket-accept'], acceptFor(key));
      const sock = up.socket!;
      sock.write(encodeFrame('hello through the proxy', true));
      assert.equal(await readFrame(sock, up.head), 'HELLO THROUGH THE PROXY');
      const long = 'x'.repeat(3000);
      sock.write(encodeFrame(long, true));
      assert.equal(await readFrame(sock), long.toUpperCase());
      sock.destroy();
      const seen = s.app.requests.find((r) => r.url === '/ws')!;
      assert.equal(seen.headers['x-forwarded-proto'], 'https');
      assert.equal(seen.headers.upgrade, 'websocket');
      assert.match(String(seen.headers.connection), /upgrade/i);
      assert.ok(
        s.responses.some(
          (r) => r.status === 101 && r.headers.includes('ws_session=abc; Path=/; Secure; HttpOnly'),
        ),
        'the 101 went through the cookie log',
      );

      const refused = await upgrade(s, '/nope', newKey());
      assert.equal(refused.status, 404);
      assert.equal(refused.body, 'no socket');
    } finally {
      await s.close();
    }
  },
);

test(
  'app down or restarting: 502 with a page that says so, and the proxy keeps running until it is back',
  { timeout: 60_000 },
  async () => {
    const s = await setup((_q, r) => r.end('up'));
    const port = s.app.port;
    try {
      assert.equal((await get(s, '/')).body.toString(), 'up');
      await s.app.close();
      const down = await get(s, '/page');
      assert.equal(down.status, 502);
      assert.match(String(down.headers['content-type']), /text\/html/);
      assert.equal(down.headers['retry-after'], '2');
      assert.match(down.body.toString(), /The app is not answering/);
      assert.match(down.body.toString(), /connection refused/);
      assert.match(down.body.toString(), /http-equiv="refresh"/);
      const post = await get(s, '/form', { method: 'POST', body: 'a=1' });
      assert.equal(post.status, 502);
      assert.ok(!post.body.toString().includes('http-equiv="refresh"'), 'no reload for a POST');
      const ws = await upgrade(s, '/ws', newKey());
      assert.equal(ws.status, 502);

      const back = await startUpstream((_q, r) => r.end('back again'), { port });
      try {
        assert.equal((await get(s, '/')).body.toString(), 'back again');
      } finally {
        await back.close();
      }
      const kinds = s.events.map((e) => e.kind);
      assert.ok(kinds.includes('upstream-error') && kinds.includes('upstream-back'), kinds.join(','));
    } finally {
      await s.close();
    }
  },
);

test(
  'an app that drops the connection mid-response cuts that response only',
  { timeout: 60_000 },
  async () => {
    const s = await setup((q, r) => {
      if (q.url === '/drop') {
        r.writeHead(200, { 'Content-Length': '1000' });
        r.write('partial');
        setTimeout(() => q.socket.destroy(), 20);
        return;
      }
      r.end('fine');
    });
    try {
      await assert.rejects(get(s, '/drop'), /aborted|socket hang up|ECONNRESET|closed/i);
      assert.equal((await get(s, '/')).body.toString(), 'fine');
    } finally {
      await s.close();
    }
  },
);

test(
  'close() stops listening and ends open connections, WebSockets included',
  { timeout: 60_000 },
  async () => {
    const s = await setup((_q, r) => r.end('x'));
    s.app.server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(String(req.headers['sec-websocket-key']))}\r\n\r\n`,
      );
      echoServer(socket, head);
    });
    const up = await upgrade(s, '/ws', newKey());
    const closed = once(up.socket!, 'close');
    await s.proxy.close();
    await closed;
    await assert.rejects(get(s, '/'), /ECONNREFUSED/);
    await s.app.close();
  },
);

test(
  'a renewed certificate is served to new connections without a restart',
  { timeout: 60_000 },
  async () => {
    const s = await setup((_q, r) => r.end('x'));
    try {
      const serialOf = () =>
        new Promise<string>((resolve, reject) => {
          const sock = tls.connect(
            { host: '127.0.0.1', port: s.proxy.port, servername: 'localhost', ca: devCa.certPem },
            () => {
              resolve(sock.getPeerCertificate().serialNumber);
              sock.end();
            },
          );
          sock.on('error', reject);
        });
      const first = await serialOf();
      const next = await devCa.ca.issue(NAMES, { days: 30 });
      s.proxy.setCertificate(next);
      const second = await serialOf();
      assert.notEqual(second, first);
      assert.equal(second.toLowerCase(), new X509Certificate(next.certPem).serialNumber.toLowerCase());
    } finally {
      await s.close();
    }
  },
);
