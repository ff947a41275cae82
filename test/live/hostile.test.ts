/**
 * Hostile and broken servers: every case is a real loopback server and a bounded run. Each run
 * must return (no exception escapes, no hang), give the bad URL an error or an observation that
 * shows the problem, and still report the good URL checked in the same run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { Socket } from 'node:net';
import { collectLive, type LiveOptions, type LiveResult } from '../../src/collect/live/index.js';
import type { RedirectChainObservation } from '../../src/model/observation.js';
import { makeTestCa, LOOPBACK_NAMES, type IssuedCert, type TestCa } from '../helpers/tls.js';
import {
  freePort,
  startHttpServer,
  startNetServer,
  startTestSite,
  startTlsServer,
  type TestSite,
} from '../helpers/servers.js';

const T = { timeout: 20000 };
const TIMEOUT_MS = 1500;

let ca: TestCa;
let cert: IssuedCert;
let good: TestSite;
let goodUrl: string;
const closers: (() => Promise<void>)[] = [];

before(async () => {
  ca = await makeTestCa();
  cert = await ca.issue(LOOPBACK_NAMES);
  good = await startTestSite({
    cert,
    https: { '/': { headers: { 'set-cookie': 'goodsid=1; Secure; HttpOnly' }, body: 'fine' } },
    http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
  });
  goodUrl = `${good.httpsOrigin}/`;
  closers.push(() => good.close());
});
after(async () => {
  await Promise.all(closers.map((c) => c()));
  ca.cleanup();
});

function opts(extra: LiveOptions = {}): LiveOptions {
  return { ca: [ca.caFile], http: good.httpOrigin, timeoutMs: TIMEOUT_MS, ...extra };
}

/** Run the bad URL with the good one; check the good one is fully reported and return the bad URL's share. */
async function runWithGood(badUrl: string, extra: LiveOptions = {}) {
  const r: LiveResult = await collectLive([badUrl, goodUrl], opts(extra));
  assert.deepEqual(
    r.errors.filter((e) => e.url === goodUrl),
    [],
    'no error for the good URL',
  );
  const goodCookie = r.observations.find(
    (o) => o.kind === 'cookie' && o.name === 'goodsid' && o.delivery?.requestedUrl === goodUrl,
  );
  assert.ok(goodCookie, 'the good URL is still reported');
  const errors = r.errors.filter((e) => e.url === badUrl);
  for (const e of errors) {
    assert.doesNotMatch(e.message, /\n|\bat .*\.js:\d+/, 'one line, no stack');
  }
  const chain = r.observations.find(
    (o): o is RedirectChainObservation => o.kind === 'redirect-chain' && o.requestedUrl === badUrl,
  );
  return { errors, messages: errors.map((e) => e.message).join('\n'), chain, all: r };
}

/** Hold a socket open without answering; destroyed when the server closes. */
function silent(_s: Socket): void {}

describe('hostile servers', () => {
  test('refused port', T, async () => {
    const port = await freePort();
    const { messages } = await runWithGood(`https://127.0.0.1:${port}/`);
    assert.match(messages, new RegExp(`connection refused by 127\\.0\\.0\\.1:${port}`));
  });

  test('connection reset in the middle of the headers', T, async () => {
    const srv = await startNetServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nSet-Cookie: half=1\r\nX-Cut: ab');
        setTimeout(() => s.resetAndDestroy(), 50);
      });
    });
    closers.push(srv.close);
    const { messages } = await runWithGood(`http://127.0.0.1:${srv.port}/bad`, { https: good.httpsOrigin });
    assert.match(messages, /connection reset by|closed the connection before a complete response/);
  });

  test('a server that never answers', T, async () => {
    const srv = await startNetServer(silent);
    closers.push(srv.close);
    const { messages } = await runWithGood(`http://127.0.0.1:${srv.port}/bad`, { https: good.httpsOrigin });
    assert.match(messages, new RegExp(`within ${TIMEOUT_MS} ms`));
  });

  test('slowloris headers: one byte per second', T, async () => {
    const srv = await startNetServer((s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\nX-Slow: ');
        const timer = setInterval(() => (s.destroyed ? clearInterval(timer) : s.write('a')), 1000);
        s.on('close', () => clearInterval(timer));
      });
    });
    closers.push(srv.close);
    const { messages } = await runWithGood(`http://127.0.0.1:${srv.port}/bad`, { https: good.httpsOrigin });
    assert.match(messages, new RegExp(`within ${TIMEOUT_MS} ms`));
  });

  test('response headers of several MB', T, async () => {
    const site = await startTestSite({
      cert,
      https: { '*': { headers: { 'x-big': 'a'.repeat(4 * 1024 * 1024), 'set-cookie': 'x=1' }, body: 'x' } },
    });
    closers.push(() => site.close());
    const { messages } = await runWithGood(`${site.httpsOrigin}/`);
    assert.match(messages, /response headers larger than 262144 bytes/);
  });

  test('5,000 Set-Cookie headers: only the first ones are analysed, the excess is reported', T, async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `c${i}=v; Path=/`);
    const site = await startTestSite({
      cert,
      https: { '*': { headers: { 'set-cookie': many }, body: 'x' } },
    });
    closers.push(() => site.close());
    const url = `${site.httpsOrigin}/`;
    const { messages, chain, all } = await runWithGood(url, { maxSetCookies: 100 });
    assert.match(messages, /5000 Set-Cookie headers in one response; only the first 100 were analysed/);
    const mine = all.observations.filter((o) => o.kind === 'cookie' && o.delivery?.requestedUrl === url);
    assert.equal(mine.length, 100);
    assert.equal(chain?.chain[0]?.setCookies.length, 100);
    assert.equal(chain?.chain[0]?.setCookiesDropped, 4900);
  });

  test('an endless body is read up to the cap, then dropped', T, async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const srv = await startTlsServer(cert, (s) => {
      s.once('data', () => {
        s.write(
          'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nSet-Cookie: endless=1\r\nConnection: close\r\n\r\n',
        );
        const pump = (): void => {
          while (!s.destroyed && s.write(chunk));
          if (!s.destroyed) s.once('drain', pump);
        };
        pump();
      });
    });
    closers.push(srv.close);
    const url = `https://127.0.0.1:${srv.port}/`;
    const { errors, chain, all } = await runWithGood(url, { maxBodyBytes: 256 * 1024 });
    assert.deepEqual(errors, []);
    assert.equal(chain?.chain[0]?.bodyTruncated, true);
    assert.equal(chain?.chain[0]?.bodyBytes, 256 * 1024);
    assert.ok(all.observations.some((o) => o.kind === 'cookie' && o.name === 'endless'));
  });

  test(
    'a body that stops coming: the response is kept, the stall reported within the timeout',
    T,
    async () => {
      const srv = await startTlsServer(cert, (s) => {
        s.once('data', () => {
          s.write(
            'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nSet-Cookie: stalled=1; Secure\r\n\r\n' +
              'x'.repeat(10),
          );
        });
      });
      closers.push(srv.close);
      const url = `https://127.0.0.1:${srv.port}/`;
      const t0 = Date.now();
      const { messages, chain, all } = await runWithGood(url);
      assert.ok(Date.now() - t0 < TIMEOUT_MS + 3000, 'ends soon after the timeout');
      assert.match(messages, /response body incomplete: .*1500 ms/);
      assert.equal(chain?.chain[0]?.status, 200);
      assert.equal(chain?.chain[0]?.bodyBytes, 10);
      assert.equal(chain?.chain[0]?.bodyTruncated, false);
      assert.ok(all.observations.some((o) => o.kind === 'cookie' && o.name === 'stalled'));
    },
  );

  test('a connection closed in the middle of the body', T, async () => {
    const srv = await startTlsServer(cert, (s) => {
      s.once('data', () => {
        s.end(
          'HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nSet-Cookie: cut=1; Secure\r\n\r\n' + 'x'.repeat(10),
        );
      });
    });
    closers.push(srv.close);
    const url = `https://127.0.0.1:${srv.port}/`;
    const { messages, chain, all } = await runWithGood(url);
    assert.match(messages, /response body incomplete/);
    assert.doesNotMatch(messages, /1500 ms/, 'reported when the connection closed, not at the timeout');
    assert.equal(chain?.chain[0]?.status, 200);
    assert.ok(all.observations.some((o) => o.kind === 'cookie' && o.name === 'cut'));
  });

  test('informational responses before the final one are skipped', T, async () => {
    const srv = await startTlsServer(cert, (s) => {
      s.once('data', () => {
        s.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n');
        s.end(
          'HTTP/1.1 200 OK\r\nSet-Cookie: final=1; Secure; HttpOnly\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
        );
      });
    });
    closers.push(srv.close);
    const url = `https://127.0.0.1:${srv.port}/`;
    const { errors, chain, all } = await runWithGood(url);
    assert.deepEqual(errors, []);
    assert.equal(chain?.chain.length, 1);
    assert.equal(chain?.chain[0]?.status, 200);
    assert.equal(chain?.chain[0]?.bodyBytes, 2);
    assert.ok(all.observations.some((o) => o.kind === 'cookie' && o.name === 'final'));
  });

  test('endless informational responses end at the deadline', T, async () => {
    const srv = await startTlsServer(cert, (s) => {
      s.on('error', () => {});
      s.once('data', () => {
        const timer = setInterval(
          () => (s.destroyed ? clearInterval(timer) : s.write('HTTP/1.1 102 Processing\r\n\r\n')),
          5,
        );
        s.on('close', () => clearInterval(timer));
      });
    });
    closers.push(srv.close);
    const url = `https://127.0.0.1:${srv.port}/`;
    const t0 = Date.now();
    const { messages, chain } = await runWithGood(url);
    assert.ok(Date.now() - t0 < TIMEOUT_MS + 3000, 'ends soon after the timeout');
    assert.match(messages, new RegExp(`within ${TIMEOUT_MS} ms`));
    assert.equal(chain?.chain.length, 0, 'no hop: no final response came');
  });

  test('a gzip bomb is never decompressed', T, async () => {
    // 800 gzip members of 1 MiB of zeros each: about 820 KB on the wire, 800 MiB once inflated.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 800 }, () => member));
    const site = await startTestSite({
      cert,
      https: {
        '*': {
          headers: { 'content-encoding': 'gzip', 'content-type': 'text/html', 'set-cookie': 'bomb=1' },
          body: bomb,
        },
      },
    });
    closers.push(() => site.close());
    const url = `${site.httpsOrigin}/`;
    const { errors, chain, all } = await runWithGood(url, { headers: ['Accept-Encoding: gzip'] });
    assert.deepEqual(errors, []);
    assert.equal(chain?.chain[0]?.bodyBytes, bomb.length, 'bytes as sent, not inflated');
    assert.ok(all.observations.some((o) => o.kind === 'cookie' && o.name === 'bomb'));
  });

  test('redirect loop A -> B -> A', T, async () => {
    const site = await startTestSite({
      cert,
      https: {
        '/a': { status: 302, headers: { location: '/b' } },
        '/b': { status: 302, headers: { location: '/a' } },
      },
    });
    closers.push(() => site.close());
    const url = `${site.httpsOrigin}/a`;
    const { messages, chain } = await runWithGood(url);
    assert.match(messages, /redirect loop: .*\/a -> .*\/b -> .*\/a/);
    assert.equal(chain?.chain.length, 2);
    assert.equal(site.requests.length, 2, 'the loop is noticed before the third request');
  });

  test('a 20-hop redirect chain stops after maxRedirects', T, async () => {
    const site = await startTestSite({
      cert,
      https: {
        '*': (req) => {
          const n = Number(req.path.split('/')[2] ?? 0);
          return n < 20 ? { status: 302, headers: { location: `/hop/${n + 1}` } } : { body: 'end' };
        },
      },
    });
    closers.push(() => site.close());
    const url = `${site.httpsOrigin}/hop/0`;
    const { messages, chain } = await runWithGood(url);
    assert.match(messages, /more than 10 redirects; stopped before .*\/hop\/11/);
    assert.equal(chain?.chain.length, 11);
    assert.equal(site.requests.length, 11);
  });

  test('an answer that is not HTTP: bytes after the TLS handshake', T, async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37 + 11) & 0xff));
    const srv = await startTlsServer(cert, (s) => {
      s.once('data', () => s.end(junk));
    });
    closers.push(srv.close);
    const { messages } = await runWithGood(`https://127.0.0.1:${srv.port}/`);
    assert.match(messages, /is not valid HTTP\/1\.1 \(.+\)|closed the connection/);
  });

  test('an SSH banner on the plain-HTTP twin and on an HTTPS port', T, async () => {
    const srv = await startNetServer((s) => s.write('SSH-2.0-OpenSSH_9.6p1 Debian-3\r\n'));
    closers.push(srv.close);
    const asTwin = await collectLive([goodUrl], opts({ http: `http://127.0.0.1:${srv.port}` }));
    assert.match(
      asTwin.errors.map((e) => e.message).join('\n'),
      /^HTTP twin .*is not valid HTTP\/1\.1 \(Expected HTTP\/.*\)/m,
    );
    const onHttps = await runWithGood(`https://127.0.0.1:${srv.port}/`);
    assert.match(
      onHttps.messages,
      /did not answer with TLS|TLS handshake with .* failed|closed the connection/,
    );
  });

  test('a certificate from an untrusted CA', T, async () => {
    const other = await makeTestCa('untrusted CA');
    const site = await startTestSite({
      cert: await other.issue(LOOPBACK_NAMES),
      https: { '*': { body: 'x' } },
    });
    other.cleanup();
    closers.push(() => site.close());
    const url = `${site.httpsOrigin}/`;
    const { messages, all } = await runWithGood(url);
    assert.match(messages, /TLS certificate not trusted: the chain ends at a CA that is not trusted/);
    assert.ok(all.observations.some((o) => o.kind === 'tls' && o.url === url && !o.authorized));
  });

  test('a certificate for another host name', T, async () => {
    const site = await startTestSite({
      cert: await ca.issue(['other.example']),
      https: { '*': { body: 'x' } },
    });
    closers.push(() => site.close());
    const { messages } = await runWithGood(`${site.httpsOrigin}/`);
    assert.match(messages, /certificate does not name this host/);
  });

  test('a plain HTTP server on the HTTPS port', T, async () => {
    const srv = await startHttpServer({ '*': { body: 'plain' } });
    closers.push(srv.close);
    const { messages } = await runWithGood(`https://127.0.0.1:${srv.port}/`);
    assert.match(messages, new RegExp(`127\\.0\\.0\\.1:${srv.port} did not answer with TLS`));
  });

  test('all of them in one run, concurrently', T, async () => {
    const refused = await freePort();
    const hang = await startNetServer(silent);
    const plain = await startHttpServer({ '*': { body: 'plain' } });
    const loop = await startTestSite({
      cert,
      https: {
        '/a': { status: 302, headers: { location: '/b' } },
        '/b': { status: 302, headers: { location: '/a' } },
      },
    });
    closers.push(hang.close, plain.close, () => loop.close());
    const bad = [
      `https://127.0.0.1:${refused}/`,
      `https://127.0.0.1:${hang.port}/`,
      `https://127.0.0.1:${plain.port}/`,
      `${loop.httpsOrigin}/a`,
      'https://[::1:bad/',
    ];
    let progress = 0;
    const r = await collectLive([...bad, goodUrl], opts({ concurrency: 3 }), (done, total) => {
      progress = done;
      assert.equal(total, 6);
    });
    assert.equal(progress, 6);
    for (const u of bad)
      assert.ok(
        r.errors.some((e) => e.url === u),
        `error for ${u}`,
      );
    assert.deepEqual(
      r.errors.filter((e) => e.url === goodUrl),
      [],
    );
    assert.ok(r.observations.some((o) => o.kind === 'cookie' && o.name === 'goodsid'));
  });
});
