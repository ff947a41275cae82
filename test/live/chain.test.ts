/**
 * The live collector against real TLS servers on loopback (CA made in the test): redirect chains,
 * cookies per hop, the plain-HTTP twin, HSTS at the final HTTPS origin, session ids in URLs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { collectLive, type LiveOptions } from '../../src/collect/live/index.js';
import type {
  CookieObservation,
  HstsObservation,
  HttpTwinObservation,
  Observation,
  RedirectChainObservation,
  SessionIdInUrlObservation,
  TlsObservation,
} from '../../src/model/observation.js';
import { makeTestCa, LOOPBACK_NAMES, type TestCa, type IssuedCert } from '../helpers/tls.js';
import { startTestSite, type TestSite } from '../helpers/servers.js';

let ca: TestCa;
let cert: IssuedCert;
const sites: TestSite[] = [];

before(async () => {
  ca = await makeTestCa();
  cert = await ca.issue(LOOPBACK_NAMES);
});
after(async () => {
  await Promise.all(sites.map((s) => s.close()));
  ca.cleanup();
});

async function site(opts: Omit<Parameters<typeof startTestSite>[0], 'cert'>): Promise<TestSite> {
  const s = await startTestSite({ cert, ...opts });
  sites.push(s);
  return s;
}

function run(urls: string[], s: TestSite | null, extra: LiveOptions = {}) {
  return collectLive(urls, {
    ca: [ca.caFile],
    timeoutMs: 5000,
    ...(s?.httpOrigin ? { http: s.httpOrigin } : {}),
    ...extra,
  });
}

const cookies = (obs: Observation[]) => obs.filter((o): o is CookieObservation => o.kind === 'cookie');
const ofKind = <K extends Observation['kind']>(obs: Observation[], kind: K) =>
  obs.filter((o): o is Extract<Observation, { kind: K }> => o.kind === kind);

describe('HTTPS redirect chain', () => {
  test(
    'every hop is recorded, with the cookies it set, and jar cookies are replayed',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: {
          '/': {
            status: 302,
            headers: { location: '/step', 'set-cookie': ['a=1; Secure; HttpOnly; Path=/'] },
          },
          '/step': {
            status: 301,
            headers: { location: '{https}/final', 'set-cookie': ['b=2; Path=/', 'c=3; Path=/other'] },
          },
          '/final': {
            headers: {
              'set-cookie': 'd=4; Secure; SameSite=Lax',
              'strict-transport-security': 'max-age=63072000',
            },
            body: '<html>ok</html>',
          },
        },
        http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
      });
      const start = `${s.httpsOrigin}/`;
      const r = await run([start], s);
      assert.deepEqual(r.errors, []);
      const cs = cookies(r.observations).filter((c) => c.delivery?.probe === 'https');
      assert.deepEqual(
        cs.map((c) => [
          c.name,
          c.delivery?.hop,
          c.delivery?.redirect,
          c.delivery?.status,
          c.delivery?.scheme,
        ]),
        [
          ['a', 0, true, 302, 'https'],
          ['b', 1, true, 301, 'https'],
          ['c', 1, true, 301, 'https'],
          ['d', 2, false, 200, 'https'],
        ],
      );
      for (const c of cs) {
        assert.equal(c.delivery?.requestedUrl, start);
        assert.equal(c.source, 'live');
      }
      assert.equal(cs[2]!.delivery?.url, `${s.httpsOrigin}/step`);

      const [chain] = ofKind(r.observations, 'redirect-chain') as RedirectChainObservation[];
      assert.ok(chain);
      assert.equal(chain.finalUrl, `${s.httpsOrigin}/final`);
      assert.deepEqual(
        chain.chain.map((h) => [h.status, h.location, h.setCookies.length, h.redirect]),
        [
          [302, '/step', 1, true],
          [301, `${s.httpsOrigin}/final`, 2, true],
          [200, null, 1, false],
        ],
      );
      assert.deepEqual(chain.chain[2]!.hsts, ['max-age=63072000']);

      // Cookies set along the chain come back where tough-cookie says they match (c has Path=/other).
      const finalReq = s.requests.find((q) => q.scheme === 'https' && q.path === '/final');
      assert.equal(finalReq?.headers.cookie, 'a=1; b=2');
      const firstReq = s.requests.find((q) => q.scheme === 'https' && q.path === '/');
      assert.equal(firstReq?.headers.cookie, undefined);
    },
  );

  test(
    'cookies a browser rejects are not replayed; a deletion removes a replayed cookie',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: {
          '/': {
            status: 302,
            headers: {
              location: '/two',
              'set-cookie': [
                'keep=1; Path=/; Secure',
                'gone=1; Path=/; Secure',
                // SameSite=None without Secure, a bad __Host- prefix, a public-suffix Domain.
                'nonenotsecure=1; Path=/; SameSite=None',
                '__Host-bad=1; Path=/; Domain=localhost; Secure',
                'psl=1; Path=/; Domain=co.uk',
              ],
            },
          },
          '/two': {
            status: 302,
            headers: { location: '/three', 'set-cookie': 'gone=; Path=/; Max-Age=0' },
          },
          '/three': { body: 'ok' },
        },
        http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
      });
      const r = await run([`${s.httpsOrigin}/`], s);
      assert.deepEqual(r.errors, []);
      // The rejected cookies are still observed (and judged by the rules) ...
      const names = cookies(r.observations).map((c) => c.name);
      for (const n of ['nonenotsecure', '__Host-bad', 'psl']) assert.ok(names.includes(n), n);
      // ... but never sent back, and the deleted cookie is gone on the hop after its deletion.
      const two = s.requests.find((q) => q.scheme === 'https' && q.path === '/two');
      const three = s.requests.find((q) => q.scheme === 'https' && q.path === '/three');
      assert.equal(two?.headers.cookie, 'keep=1; gone=1');
      assert.equal(three?.headers.cookie, 'keep=1');
    },
  );

  test(
    'a cookie set on an HTTP redirect hop before HTTPS is observed with scheme http',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: { '/': { body: 'secure page' } },
        http: {
          '/': {
            status: 302,
            headers: { location: '{https}/', 'set-cookie': 'PHPSESSID=abc123; path=/' },
          },
        },
      });
      const r = await run([`${s.httpsOrigin}/`], s);
      assert.deepEqual(r.errors, []);
      const [c] = cookies(r.observations).filter((o) => o.delivery?.probe === 'http-twin');
      assert.ok(c, 'cookie from the http hop');
      assert.equal(c.name, 'PHPSESSID');
      assert.deepEqual(c.delivery, {
        url: `${s.httpOrigin}/`,
        scheme: 'http',
        status: 302,
        hop: 0,
        requestedUrl: `${s.httpsOrigin}/`,
        redirect: true,
        probe: 'http-twin',
      });
      const [twin] = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
      assert.equal(twin?.redirectsToHttps, true);
      assert.equal(twin?.servesContent, false);
      assert.equal(twin?.reachable, true);
      assert.equal(twin?.status, 302);
      assert.deepEqual(twin?.chain[0]?.setCookies, ['PHPSESSID=abc123; path=/']);
    },
  );

  test(
    'a downgrade redirect from HTTPS to HTTP is followed and its cookies are scheme http',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: {
          '/': {
            status: 302,
            headers: { location: '{http}/plain', 'set-cookie': ['sec=1; Secure', 'open=2'] },
          },
        },
        http: { '/plain': { headers: { 'set-cookie': 'late=1' }, body: 'plain' }, '*': { body: 'x' } },
      });
      const r = await run([`${s.httpsOrigin}/`], s);
      assert.deepEqual(r.errors, []);
      // The jar never replays a Secure cookie over http, not even to a loopback address.
      const plainReqs = s.requests.filter((q) => q.path === '/plain');
      assert.equal(plainReqs.length, 1);
      assert.equal(plainReqs[0]!.headers.cookie, 'open=2');
      const late = cookies(r.observations).find((c) => c.name === 'late' && c.delivery?.probe === 'https');
      assert.equal(late?.delivery?.scheme, 'http');
      assert.equal(late?.delivery?.hop, 1);
      const [hsts] = ofKind(r.observations, 'hsts') as HstsObservation[];
      assert.equal(hsts?.url, `${s.httpsOrigin}/`, 'HSTS read at the last HTTPS response');
    },
  );
});

describe('plain-HTTP twin', () => {
  test('serves content instead of redirecting', { timeout: 20000 }, async () => {
    const s = await site({
      https: { '/page?x=1': { body: 'never' }, '*': { body: 'secure' } },
      http: { '/page': { body: '<h1>plain</h1>' } },
    });
    const r = await run([`${s.httpsOrigin}/page?x=1#frag`], s);
    assert.deepEqual(r.errors, []);
    const [twin] = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
    assert.equal(twin?.url, `${s.httpOrigin}/page?x=1`, 'path and query carried over, fragment dropped');
    assert.equal(twin?.servesContent, true);
    assert.equal(twin?.redirectsToHttps, false);
    assert.equal(s.requests.find((q) => q.scheme === 'http')?.url, '/page?x=1');
  });

  test(
    'sets a cookie on an HTTP hop, then another HTTP hop, then redirects to HTTPS',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: { '*': { body: 'secure' } },
        http: {
          '/': { status: 302, headers: { location: '/login', 'set-cookie': 'visitor=v1' } },
          '/login': {
            status: 301,
            headers: { location: '{https}/login', 'set-cookie': 'sessionid=s1; HttpOnly' },
          },
        },
      });
      const r = await run([`${s.httpsOrigin}/`], s);
      assert.deepEqual(r.errors, []);
      const [twin] = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
      assert.equal(twin?.redirectsToHttps, true);
      assert.deepEqual(
        twin?.chain.map((h) => [h.url, h.status, h.setCookies]),
        [
          [`${s.httpOrigin}/`, 302, ['visitor=v1']],
          [`${s.httpOrigin}/login`, 301, ['sessionid=s1; HttpOnly']],
        ],
      );
      const twinCookies = cookies(r.observations).filter((c) => c.delivery?.probe === 'http-twin');
      assert.deepEqual(
        twinCookies.map((c) => [c.name, c.delivery?.hop, c.delivery?.scheme]),
        [
          ['visitor', 0, 'http'],
          ['sessionid', 1, 'http'],
        ],
      );
      // The twin stops at the HTTPS redirect: the HTTPS side is probed by the HTTPS chain.
      assert.equal(s.requests.filter((q) => q.scheme === 'https' && q.path === '/login').length, 0);
      // The twin's jar replays its own cookie on its next hop.
      assert.equal(
        s.requests.find((q) => q.scheme === 'http' && q.path === '/login')?.headers.cookie,
        'visitor=v1',
      );
    },
  );

  test('nothing listening on the default twin is a fact, not an error', { timeout: 20000 }, async () => {
    const s = await site({ https: { '*': { body: 'x' } } });
    // No --http: the twin is http://127.0.0.1:80/, where nothing listens on a test machine
    // (if something does, the twin is simply reachable; the assertion below allows both).
    const r = await run([`${s.httpsOrigin}/`], null);
    const [twin] = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
    assert.equal(twin?.url, 'http://127.0.0.1/');
    if (!twin?.reachable) {
      assert.deepEqual(r.errors, []);
      assert.match(twin?.error ?? '', /refused|no connection/);
    }
  });

  test(
    'a URL given as http:// is checked as given and its HTTPS twin found with --https',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: {
          '/a': {
            headers: { 'set-cookie': 'sid2=1; Secure', 'strict-transport-security': 'max-age=31536000' },
            body: 'ok',
          },
        },
        http: { '/a': { status: 308, headers: { location: '{https}/a' } } },
      });
      const r = await run([`${s.httpOrigin}/a`], null, { https: s.httpsOrigin });
      assert.deepEqual(r.errors, []);
      const [twin] = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
      assert.equal(twin?.url, `${s.httpOrigin}/a`);
      assert.equal(twin?.requestedUrl, `${s.httpOrigin}/a`);
      assert.equal(twin?.redirectsToHttps, true);
      const c = cookies(r.observations).find((o) => o.name === 'sid2');
      assert.equal(c?.delivery?.url, `${s.httpsOrigin}/a`);
      assert.equal(c?.delivery?.requestedUrl, `${s.httpOrigin}/a`);
      const [hsts] = ofKind(r.observations, 'hsts') as HstsObservation[];
      assert.equal(hsts?.parsed?.maxAge, 31536000);
    },
  );
});

describe('shared twins', () => {
  test('two URLs with the same plain-HTTP twin: probed and reported once', { timeout: 20000 }, async () => {
    const a = await site({
      https: { '*': { body: 'a' } },
      http: { '*': { headers: { 'set-cookie': 'twin=1' }, body: 'plain' } },
    });
    const b = await site({ https: { '*': { body: 'b' } } });
    a.requests.length = 0;
    // Both URLs have the path /x: with one --http origin, their twins are the same URL.
    const r = await run([`${a.httpsOrigin}/x`, `${b.httpsOrigin}/x`], a);
    assert.deepEqual(r.errors, []);
    assert.equal(a.requests.filter((q) => q.scheme === 'http').length, 1);
    const twins = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
    assert.deepEqual(
      twins.map((t) => t.requestedUrl),
      [`${a.httpsOrigin}/x`],
    );
    assert.equal(cookies(r.observations).filter((c) => c.name === 'twin').length, 1);
    assert.equal(ofKind(r.observations, 'redirect-chain').length, 2, 'each HTTPS chain is its own');
  });
});

describe('HSTS at the final HTTPS origin', () => {
  test(
    'read on the final origin of the chain, not on the twin nor the first origin',
    { timeout: 20000 },
    async () => {
      const final = await site({
        https: {
          '/landing': {
            headers: { 'strict-transport-security': 'max-age=300; includeSubDomains' },
            body: 'final',
          },
        },
      });
      const first = await site({
        https: { '/': { status: 302, headers: { location: `${final.httpsOrigin}/landing` } } },
        http: { '*': { headers: { 'strict-transport-security': 'max-age=99999999' }, body: 'plain' } },
      });
      const r = await run([`${first.httpsOrigin}/`], first);
      assert.deepEqual(r.errors, []);
      const hsts = ofKind(r.observations, 'hsts') as HstsObservation[];
      assert.equal(hsts.length, 1);
      assert.equal(hsts[0]!.url, `${final.httpsOrigin}/landing`);
      assert.deepEqual(hsts[0]!.headers, ['max-age=300; includeSubDomains']);
      assert.equal(hsts[0]!.parsed?.maxAge, 300);
      assert.equal(hsts[0]!.parsed?.includeSubDomains, true);
    },
  );

  test(
    'absent on HTTPS (even though the HTTP twin sends one): headers [] and parsed null',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: { '*': { body: 'no hsts' } },
        http: { '*': { headers: { 'strict-transport-security': 'max-age=31536000' }, body: 'plain' } },
      });
      const r = await run([`${s.httpsOrigin}/`], s);
      const [hsts] = ofKind(r.observations, 'hsts') as HstsObservation[];
      assert.deepEqual(hsts?.headers, []);
      assert.equal(hsts?.parsed, null);
      const [twin] = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
      assert.deepEqual(
        twin?.chain[0]?.hsts,
        ['max-age=31536000'],
        'recorded on the twin hop, where browsers ignore it',
      );
    },
  );
});

describe('session identifiers in URLs', () => {
  test('in a Location header (path parameter) and in the final URL (query)', { timeout: 20000 }, async () => {
    const s = await site({
      https: {
        '/': { status: 302, headers: { location: '/app;jsessionid=0123ABCD?x=1' } },
        '/app;jsessionid=0123ABCD': { status: 302, headers: { location: '/home?PHPSESSID=deadbeef99' } },
        '/home': { body: 'home' },
      },
      http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
    });
    const r = await run([`${s.httpsOrigin}/`], s);
    assert.deepEqual(r.errors, []);
    const ids = ofKind(r.observations, 'session-id-in-url') as SessionIdInUrlObservation[];
    assert.deepEqual(
      ids.map((i) => [i.where, i.parameter, i.value, i.url]),
      [
        ['location', 'jsessionid', '0123ABCD', `${s.httpsOrigin}/`],
        ['location', 'PHPSESSID', 'deadbeef99', `${s.httpsOrigin}/app;jsessionid=0123ABCD?x=1`],
      ],
      'the final URL is the last Location target: not reported twice',
    );
    assert.equal(ids[0]!.evidence, 'Location: /app;jsessionid=<redacted>?x=1');
    for (const i of ids) assert.ok(!i.evidence?.includes(i.value!), 'value redacted in evidence');
  });

  test('in the URL the chain ends on, when no Location reported it', { timeout: 20000 }, async () => {
    const s = await site({
      https: { '*': { body: 'x' } },
      http: { '*': { status: 301, headers: { location: '{https}/' } } },
    });
    const r = await run([`${s.httpsOrigin}/(S(lit3py55t21z5v55vlm25s55))/default.aspx`], s);
    const ids = ofKind(r.observations, 'session-id-in-url') as SessionIdInUrlObservation[];
    assert.deepEqual(
      ids.map((i) => [i.where, i.parameter, i.value, i.framework]),
      [['url', '(S(...))', 'lit3py55t21z5v55vlm25s55', 'aspnet']],
    );
  });
});

describe('session identifiers in error messages', () => {
  test(
    'a redirect loop through URLs with session ids is reported without their values',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: {
          '/a': { status: 302, headers: { location: '/b;jsessionid=LOOPSECRET1' } },
          '/b;jsessionid=LOOPSECRET1': { status: 302, headers: { location: '/a' } },
        },
        http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
      });
      const r = await run([`${s.httpsOrigin}/a`], s);
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0]!.message, /redirect loop: .*\/b;jsessionid=<redacted> -> /);
      assert.doesNotMatch(r.errors[0]!.message, /LOOPSECRET1/);
    },
  );
});

describe('user cookies and headers', () => {
  test(
    'sent over HTTPS to the checked host only: never on the twin, on an http redirect or to another host',
    { timeout: 20000 },
    async () => {
      const other = await site({ https: { '*': { body: 'other host' } } });
      const s = await site({
        https: {
          '/': { status: 302, headers: { location: '/two' } },
          '/two': { status: 302, headers: { location: '{http}/down' } },
          '/start2': { status: 302, headers: { location: `https://localhost:${other.httpsPort}/x` } },
        },
        http: {
          '/down': { status: 302, headers: { location: '{https}/three' } },
          '*': { status: 301, headers: { location: '{https}{path}' } },
        },
      });
      s.requests.length = 0;
      const r = await run([`${s.httpsOrigin}/`, `${s.httpsOrigin}/start2`], s, {
        cookies: ['session=TOPSECRET', 'pref=1'],
        headers: ['X-Api-Token: TOKEN42', 'Cookie: extra=EXTRA'],
      });
      // /three is a 404 on HTTPS: still a response, no error.
      assert.deepEqual(r.errors, []);
      const httpsReqs = s.requests.filter((q) => q.scheme === 'https');
      const httpReqs = s.requests.filter((q) => q.scheme === 'http');
      assert.ok(httpsReqs.length >= 4 && httpReqs.length >= 3, 'both schemes were exercised');
      for (const q of httpsReqs) {
        assert.equal(q.headers.cookie, 'session=TOPSECRET; pref=1; extra=EXTRA', `cookies on https ${q.url}`);
        assert.equal(q.headers['x-api-token'], 'TOKEN42');
      }
      for (const q of httpReqs) {
        assert.equal(q.headers.cookie, undefined, `no cookie on http ${q.url}`);
        assert.equal(q.headers['x-api-token'], undefined, `no user header on http ${q.url}`);
      }
      const onOther = other.requests.filter((q) => q.path === '/x');
      assert.equal(onOther.length, 1, 'the cross-host redirect was followed');
      assert.equal(onOther[0]!.headers.cookie, undefined, 'no user cookie to another host');
      assert.equal(onOther[0]!.headers['x-api-token'], undefined, 'no user header to another host');
    },
  );
});

describe('TLS verification', () => {
  test(
    "with --ca, the CAs of NODE_EXTRA_CA_CERTS stay trusted (a bundle that repeats Node's roots)",
    { timeout: 20000 },
    async () => {
      const extraCa = await makeTestCa('cookieguard extra CA');
      const otherCa = await makeTestCa('cookieguard --ca only');
      const dir = mkdtempSync(join(tmpdir(), 'cg-extra-ca-'));
      const bundle = join(dir, 'bundle.pem');
      // Like a system bundle: Node's own roots (one rewrapped) around the extra CA.
      const rewrapped = tls.rootCertificates[1]!.replace(/\n/g, '\r\n');
      writeFileSync(bundle, [tls.rootCertificates[0], extraCa.caPem, rewrapped].join('\n'));
      const before = process.env.NODE_EXTRA_CA_CERTS;
      process.env.NODE_EXTRA_CA_CERTS = bundle;
      try {
        const s = await startTestSite({
          cert: await extraCa.issue(LOOPBACK_NAMES),
          https: { '*': { body: 'ok' } },
          http: { '*': { body: 'plain' } },
        });
        sites.push(s);
        const r = await collectLive([`${s.httpsOrigin}/`], {
          ca: [otherCa.caFile],
          http: s.httpOrigin,
          timeoutMs: 5000,
        });
        assert.deepEqual(r.errors, []);
        const [t] = ofKind(r.observations, 'tls') as TlsObservation[];
        assert.equal(t?.authorized, true);
      } finally {
        if (before === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
        else process.env.NODE_EXTRA_CA_CERTS = before;
        rmSync(dir, { recursive: true, force: true });
        extraCa.cleanup();
        otherCa.cleanup();
      }
    },
  );

  test(
    '--ca makes a private CA trusted; without it the URL stops with a clear error',
    { timeout: 20000 },
    async () => {
      const s = await site({
        https: { '*': { headers: { 'set-cookie': 'x=1' }, body: 'ok' } },
        http: { '*': { body: 'plain' } },
      });
      const url = `${s.httpsOrigin}/`;
      const trusted = await collectLive([url], { ca: [ca.caFile], http: s.httpOrigin, timeoutMs: 5000 });
      assert.deepEqual(trusted.errors, []);
      const [tlsOk] = ofKind(trusted.observations, 'tls') as TlsObservation[];
      assert.deepEqual(tlsOk, { kind: 'tls', source: 'live', url, authorized: true, insecureAllowed: false });

      const untrusted = await collectLive([url], { http: s.httpOrigin, timeoutMs: 5000 });
      assert.equal(untrusted.errors.length, 1);
      assert.equal(untrusted.errors[0]!.url, url);
      assert.match(
        untrusted.errors[0]!.message,
        /TLS certificate not trusted: .*\(SELF_SIGNED_CERT_IN_CHAIN\).*--ca FILE.*--insecure/,
      );
      assert.doesNotMatch(untrusted.errors[0]!.message, /\n/);
      const [tlsBad] = ofKind(untrusted.observations, 'tls') as TlsObservation[];
      assert.equal(tlsBad?.authorized, false);
      assert.equal(tlsBad?.insecureAllowed, false);
      assert.match(tlsBad?.error ?? '', /SELF_SIGNED_CERT_IN_CHAIN/);
      assert.equal(cookies(untrusted.observations).filter((c) => c.delivery?.probe === 'https').length, 0);
      // The plain-HTTP twin is still checked.
      assert.equal(
        (ofKind(untrusted.observations, 'http-twin') as HttpTwinObservation[])[0]?.servesContent,
        true,
      );
    },
  );

  test(
    '--insecure continues past an untrusted certificate and still reports it',
    { timeout: 20000 },
    async () => {
      const otherCa = await makeTestCa('some other CA');
      const s = await startTestSite({
        cert: await otherCa.issue(LOOPBACK_NAMES),
        https: { '*': { headers: { 'set-cookie': 'sid=1; Secure' }, body: 'ok' } },
      });
      sites.push(s);
      otherCa.cleanup();
      const url = `${s.httpsOrigin}/`;
      const r = await collectLive([url], {
        ca: [ca.caFile],
        insecure: true,
        timeoutMs: 5000,
        http: 'http://127.0.0.1:9',
      });
      assert.equal(r.errors.filter((e) => /TLS/.test(e.message)).length, 0);
      const [tls] = ofKind(r.observations, 'tls') as TlsObservation[];
      assert.equal(tls?.authorized, false);
      assert.equal(tls?.insecureAllowed, true);
      assert.match(tls?.error ?? '', /SELF_SIGNED_CERT_IN_CHAIN/);
      assert.deepEqual(
        cookies(r.observations).map((c) => c.name),
        ['sid'],
      );
    },
  );

  test('a certificate for another name: hostname mismatch', { timeout: 20000 }, async () => {
    const s = await startTestSite({
      cert: await ca.issue(['www.example.test']),
      https: { '*': { body: 'x' } },
    });
    sites.push(s);
    const url = `${s.httpsOrigin}/`;
    const r = await collectLive([url], { ca: [ca.caFile], timeoutMs: 5000, http: 'http://127.0.0.1:9' });
    assert.match(
      r.errors.map((e) => e.message).join('\n'),
      /does not name this host \(ERR_TLS_CERT_ALTNAME_INVALID\)/,
    );
    const [tls] = ofKind(r.observations, 'tls') as TlsObservation[];
    assert.equal(tls?.authorized, false);
  });
});

describe('IPv6 loopback', () => {
  test('an https://[::1] URL: chain, TLS outcome and twin', { timeout: 20000 }, async (t) => {
    let s: TestSite;
    try {
      s = await site({
        host: '::1',
        https: { '*': { headers: { 'set-cookie': 'v6=1; Secure' }, body: 'six' } },
        http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
      });
    } catch {
      t.skip('no IPv6 loopback on this machine');
      return;
    }
    const url = `${s.httpsOrigin}/`;
    assert.match(url, /^https:\/\/\[::1\]:\d+\/$/);
    const r = await run([url], s);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      cookies(r.observations).map((c) => c.delivery?.url),
      [url],
    );
    const [tls] = ofKind(r.observations, 'tls') as TlsObservation[];
    assert.equal(tls?.authorized, true, 'the TLS outcome is found for a bracketed IPv6 origin');
    const [twin] = ofKind(r.observations, 'http-twin') as HttpTwinObservation[];
    assert.equal(twin?.redirectsToHttps, true);
  });
});

describe('bad input', () => {
  test('options are checked first: one clear line each, nothing requested', { timeout: 20000 }, async () => {
    const r = await collectLive(['https://127.0.0.1:1/'], {
      cookies: ['novalue'],
      headers: ['Broken header', 'Connection: close'],
      ca: ['/nonexistent/ca.pem'],
      http: 'ftp://x',
      timeoutMs: -5,
    });
    assert.deepEqual(r.observations, []);
    const msgs = r.errors.map((e) => e.message);
    assert.equal(msgs.length, 6, msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('--cookie: expected NAME=VALUE')));
    assert.ok(msgs.some((m) => m.startsWith("--header: expected 'Name: value'")));
    assert.ok(msgs.some((m) => m.includes('Connection is managed by the HTTP client')));
    assert.ok(msgs.some((m) => m === '--ca /nonexistent/ca.pem: cannot read the file (ENOENT)'));
    assert.ok(msgs.some((m) => m.startsWith('--http: expected a http:// origin')));
    assert.ok(msgs.some((m) => m.startsWith('--timeout: expected an integer >= 1')));
  });

  test('a bad URL is an error for that URL only', { timeout: 20000 }, async () => {
    const s = await site({ https: { '*': { body: 'ok' } }, http: { '*': { body: 'x' } } });
    const r = await run(
      ['not a url', 'ftp://example.com/', 'https://user:pw@127.0.0.1/', `${s.httpsOrigin}/`],
      s,
    );
    assert.deepEqual(
      r.errors.map((e) => e.url),
      ['not a url', 'ftp://example.com/', 'https://user:pw@127.0.0.1/'],
    );
    assert.equal(
      (ofKind(r.observations, 'redirect-chain') as RedirectChainObservation[])[0]?.finalUrl,
      `${s.httpsOrigin}/`,
    );
  });
});

describe('analysis after the requests', () => {
  test(
    'headers analysed once the requests are done keep their order and are judged at their response time',
    { timeout: 20000 },
    async () => {
      const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
      const s = await site({
        https: {
          // The redirect hop's cookies are analysed during the chain (the next hop needs them) ...
          '/': {
            status: 302,
            headers: { location: '/end?PHPSESSID=abcdef0123456789abcdef01', 'set-cookie': 'hop=1; Secure' },
          },
          // ... the last hop's after every URL's requests: slow URLs make that later.
          '/end': {
            headers: {
              'set-cookie': [
                `soon=1; Secure; Expires=${inTwoMinutes}`,
                'gone=; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
              ],
            },
            body: 'ok',
          },
          '/slow': { delayMs: 3000, body: 'late' },
        },
        http: { '*': { status: 301, headers: { location: '{https}{path}' } } },
      });
      const r = await run([`${s.httpsOrigin}/`, `${s.httpsOrigin}/slow`], s);
      assert.deepEqual(r.errors, []);
      const first = r.observations.filter(
        (o) => (o.kind === 'cookie' && o.delivery?.probe === 'https') || o.kind === 'session-id-in-url',
      );
      assert.deepEqual(
        first.map((o) =>
          o.kind === 'cookie' ? o.name : `${o.kind}:${(o as SessionIdInUrlObservation).where}`,
        ),
        // (The id in the final URL is the one already reported from the Location header.)
        ['hop', 'session-id-in-url:location', 'soon', 'gone'],
      );
      const soon = cookies(r.observations).find((c) => c.name === 'soon')!;
      assert.equal(soon.lifetime.kind, 'persistent');
      // Judged against the time of its response (118 or 119 s left, as Expires has whole seconds),
      // not against the end of the run, 3 s later (at most 117 s).
      const seconds = soon.lifetime.kind === 'persistent' ? soon.lifetime.seconds : -1;
      assert.ok(seconds >= 118 && seconds <= 120, `lifetime ${seconds} s`);
      assert.equal(cookies(r.observations).find((c) => c.name === 'gone')?.deletion, true);
    },
  );
});
