/**
 * LiveClient on its own: what one GET gives back, and what it does to the connection, against
 * real loopback TLS servers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TLSSocket } from 'node:tls';
import { LiveClient, LiveRequestError } from '../../src/collect/live/client.js';
import { makeTestCa, LOOPBACK_NAMES, type IssuedCert, type TestCa } from '../helpers/tls.js';
import { startTlsServer } from '../helpers/servers.js';

const T = { timeout: 20000 };
let ca: TestCa;
let cert: IssuedCert;
const closers: (() => Promise<void>)[] = [];

before(async () => {
  ca = await makeTestCa();
  cert = await ca.issue(LOOPBACK_NAMES);
});
after(async () => {
  await Promise.all(closers.map((c) => c()));
  ca.cleanup();
});

function client(extra: { maxBodyBytes?: number; timeoutMs?: number } = {}): LiveClient {
  const c = new LiveClient({
    ca: [ca.caPem],
    timeoutMs: extra.timeoutMs ?? 3000,
    maxBodyBytes: extra.maxBodyBytes ?? 1024 * 1024,
    maxHeaderBytes: 256 * 1024,
  });
  closers.push(() => c.close());
  return c;
}

async function server(onRequest: (s: TLSSocket, head: string) => void): Promise<URL> {
  const srv = await startTlsServer(cert, (s) => {
    s.on('error', () => {});
    s.once('data', (d: Buffer) => onRequest(s, d.toString('latin1')));
  });
  closers.push(srv.close);
  return new URL(`https://127.0.0.1:${srv.port}/x?y=1`);
}

const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => {
  for (let waited = 0; !cond() && waited < ms; waited += 20) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

test('a body longer than the cap: counted up to the cap, then the connection is dropped', T, async () => {
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  let closed = false;
  let written = 0;
  const url = await server((s) => {
    s.on('close', () => (closed = true));
    s.write('HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\n\r\n');
    const pump = (): void => {
      while (!s.destroyed && written < 64 * 1024 * 1024 && s.write(chunk)) written += chunk.length;
      if (!s.destroyed) s.once('drain', pump);
    };
    pump();
  });
  const c = client({ maxBodyBytes: 100 * 1024 });
  const res = await c.get(url, { 'user-agent': 't' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['set-cookie'], 'a=1');
  assert.equal(res.bodyBytes, 100 * 1024);
  assert.equal(res.bodyTruncated, true);
  assert.equal(res.bodyError, undefined);
  // While the client is still open: the connection is closed by the client, long before the
  // server has written its 64 MiB.
  assert.ok(await waitFor(() => closed, 3000), 'the connection is closed at the cap');
  assert.ok(written < 16 * 1024 * 1024, `the server could write only ${written} bytes`);
});

test('a body of exactly the cap is complete, not truncated', T, async () => {
  const url = await server((s) =>
    s.end(`HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n${'b'.repeat(1000)}`),
  );
  const res = await client({ maxBodyBytes: 1000 }).get(url, {});
  assert.equal(res.bodyBytes, 1000);
  assert.equal(res.bodyTruncated, false);
  assert.equal(res.bodyError, undefined);
});

test('an informational response and then nothing: no response, an error', T, async () => {
  const url = await server((s) => s.end('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n'));
  await assert.rejects(client().get(url, {}), (err: unknown) => {
    assert.ok(err instanceof LiveRequestError);
    assert.equal(err.url, url.href);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
});

test(
  'repeated headers come as a list, single ones as a string; the request is the path with exactly the headers given',
  T,
  async () => {
    let head = '';
    const url = await server((s, h) => {
      head = h;
      s.end(
        'HTTP/1.1 302 Found\r\nLocation: /next\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n',
      );
    });
    const res = await client().get(url, { cookie: 'x=1', 'user-agent': 'ua/1' });
    assert.equal(res.url, url.href);
    assert.equal(res.status, 302);
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.equal(res.headers.location, '/next');
    assert.equal(res.bodyBytes, 0);
    assert.match(head, /^GET \/x\?y=1 HTTP\/1\.1\r\n/);
    assert.match(head, /\r\ncookie: x=1\r\n/i);
    assert.match(head, /\r\nuser-agent: ua\/1\r\n/i);
    assert.doesNotMatch(head, /accept-encoding/i, 'no compression asked for');
  },
);

test('the overall deadline: headers that never end fail within the timeout', T, async () => {
  const url = await server((s) => s.write('HTTP/1.1 200 OK\r\nX-Slow: a'));
  const t0 = Date.now();
  await assert.rejects(client({ timeoutMs: 800 }).get(url, {}), /800 ms/);
  assert.ok(Date.now() - t0 < 3000);
});

test(
  'each request gets its own deadline: staggered requests time out one by one, answered ones never',
  T,
  async () => {
    const silent = await server(() => {}); // reads the request, never answers
    const answers = await server((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    const c = client({ timeoutMs: 600 });
    const outcome = async (url: URL, startAfter: number, busyMs = 0) => {
      await new Promise((r) => setTimeout(r, startAfter));
      // A busy event loop: Node's timers count from the loop's clock, which now lags behind.
      for (const end = performance.now() + busyMs; performance.now() < end;);
      const t0 = performance.now();
      try {
        const res = await c.get(url, {});
        return { ok: res.status, ms: performance.now() - t0 };
      } catch (err) {
        assert.ok(err instanceof LiveRequestError);
        assert.match(err.message, /within 600 ms/, err.message);
        return { ok: 0, ms: performance.now() - t0 };
      }
    };
    const results = await Promise.all([
      outcome(silent, 0),
      outcome(answers, 100),
      outcome(silent, 250),
      outcome(answers, 500),
      outcome(silent, 700),
    ]);
    assert.deepEqual(
      results.map((r) => r.ok),
      [0, 200, 0, 200, 0],
    );
    for (const r of [results[0]!, results[2]!, results[4]!]) {
      assert.ok(r.ms >= 600 && r.ms < 1200, `timed out after ${r.ms} ms, its own deadline is 600 ms`);
    }
  },
);
