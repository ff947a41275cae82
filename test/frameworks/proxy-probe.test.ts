/**
 * The proxy-trust probe of `check` (src/collect/live/proxy-probe.ts): its trigger and its comparison
 * as case tables, then the probe inside collectLive against loopback servers that behave like an app
 * behind a proxy (a real nginx and real framework apps are in the matrix: test/frameworks/*.test.ts).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { collectLive } from '../../src/collect/live/index.js';
import {
  compareProbe,
  proxySuspicion,
  sessionCookiesOf,
  frameworkFromPoweredBy,
  type SeenCookie,
  type SideSummary,
} from '../../src/collect/live/proxy-probe.js';
import { cookieObservationFromHeader } from '../../src/cookies/observe.js';
import type { Observation, ProxyTrustObservation } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';
import { makeTestCa, LOOPBACK_NAMES, type TestCa } from '../helpers/tls.js';
import { startTestSite, type RecordedRequest, type TestSite } from '../helpers/servers.js';

const SID_SECURE: SeenCookie = {
  name: 'connect.sid',
  secure: true,
  raw: 'connect.sid=s%3Aabc.def; Path=/; HttpOnly; Secure',
  url: 'http://127.0.0.1:3000/login',
  framework: 'express-session',
};
const SID_PLAIN: SeenCookie = {
  ...SID_SECURE,
  secure: false,
  raw: 'connect.sid=s%3Aabc.def; Path=/; HttpOnly',
};
const SID_HTTPS_PLAIN: SeenCookie = { ...SID_PLAIN, url: 'https://shop.test/login' };
const SID_HTTPS_SECURE: SeenCookie = { ...SID_SECURE, url: 'https://shop.test/login' };

function side(over: Partial<SideSummary> = {}): SideSummary {
  return { answered: true, server: null, via: null, poweredBy: null, sessionCookies: [], ...over };
}

describe('proxySuspicion (the trigger)', () => {
  const cases: { name: string; https: SideSummary; twin: SideSummary; expect: RegExp | null }[] = [
    // invalid: nothing to probe
    {
      name: 'HTTPS did not answer',
      https: side({ answered: false }),
      twin: side({ sessionCookies: [SID_PLAIN] }),
      expect: null,
    },
    {
      name: 'twin did not answer',
      https: side({ sessionCookies: [SID_HTTPS_PLAIN] }),
      twin: side({ answered: false }),
      expect: null,
    },
    {
      name: 'every HTTPS session cookie is Secure',
      https: side({ server: 'nginx', sessionCookies: [SID_HTTPS_SECURE] }),
      twin: side(),
      expect: null,
    },
    {
      name: 'no session cookie anywhere, same server',
      https: side({ server: 'nginx/1.22.1' }),
      twin: side({ server: 'nginx/1.22.1' }),
      expect: null,
    },
    {
      name: 'no session cookie anywhere, no Server header on either side',
      https: side(),
      twin: side(),
      expect: null,
    },
    // valid: probe
    {
      name: 'HTTPS session cookie without Secure',
      https: side({ sessionCookies: [SID_HTTPS_PLAIN] }),
      twin: side(),
      expect: /set the session cookie connect\.sid without Secure/,
    },
    {
      name: 'twin sets a session cookie HTTPS does not',
      https: side(),
      twin: side({ sessionCookies: [SID_PLAIN] }),
      expect: /plain-HTTP origin sets the session cookie connect\.sid/,
    },
    {
      name: 'Via on the HTTPS answer',
      https: side({ via: '1.1 varnish' }),
      twin: side(),
      expect: /through a proxy \(Via: 1\.1 varnish\)/,
    },
    {
      name: 'different Server headers',
      https: side({ server: 'nginx/1.22.1' }),
      twin: side(),
      expect: /different servers \(Server: nginx\/1\.22\.1 \/ no Server header\)/,
    },
    {
      name: 'Server only on the twin',
      https: side(),
      twin: side({ server: 'Werkzeug/2.2.2' }),
      expect: /different servers/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = proxySuspicion(c.https, c.twin);
      if (c.expect === null) assert.equal(got, null);
      else assert.match(got ?? '(null)', c.expect);
    });
  }
});

describe('compareProbe (the comparison)', () => {
  const base = {
    httpsUrl: 'https://shop.test/login',
    probeUrl: 'http://127.0.0.1:3000/login',
    suspicion: 'test',
  };
  const cases: {
    name: string;
    https: SeenCookie[];
    plain: SeenCookie[];
    forwarded: SeenCookie[];
    hint?: string;
    expect: Partial<ProxyTrustObservation>[];
  }[] = [
    // invalid: nothing to report
    {
      name: 'the app ignores X-Forwarded-Proto (same answers)',
      https: [SID_HTTPS_PLAIN],
      plain: [SID_PLAIN],
      forwarded: [SID_PLAIN],
      expect: [],
    },
    { name: 'never set, with or without the header', https: [], plain: [], forwarded: [], expect: [] },
    {
      name: 'Secure over HTTPS already',
      https: [SID_HTTPS_SECURE],
      plain: [],
      forwarded: [SID_SECURE],
      expect: [],
    },
    {
      name: 'set over plain HTTP too (not a proxy question)',
      https: [],
      plain: [SID_PLAIN],
      forwarded: [SID_SECURE],
      expect: [],
    },
    // valid
    {
      name: 'Secure only when told HTTPS, HTTPS got it without Secure',
      https: [SID_HTTPS_PLAIN],
      plain: [SID_PLAIN],
      forwarded: [SID_SECURE],
      expect: [
        {
          situation: 'insecure-despite-https',
          cookie: 'connect.sid',
          framework: 'express-session',
          url: 'https://shop.test/login',
        },
      ],
    },
    {
      name: 'set only when told HTTPS, HTTPS never got it',
      https: [],
      plain: [],
      forwarded: [SID_SECURE],
      expect: [
        {
          situation: 'cookie-only-with-forwarded-proto',
          cookie: 'connect.sid',
          url: 'https://shop.test/login',
        },
      ],
    },
    {
      name: 'ambiguous name: framework from the X-Powered-By hint',
      https: [],
      plain: [],
      forwarded: [
        { name: 'session', secure: true, raw: 'session=x; Secure', url: 'http://127.0.0.1:3000/login' },
      ],
      hint: 'express',
      expect: [{ situation: 'cookie-only-with-forwarded-proto', cookie: 'session', framework: 'express' }],
    },
    {
      name: 'no hint at all: unknown framework',
      https: [],
      plain: [],
      forwarded: [{ name: 'sid', secure: true, raw: 'sid=x; Secure', url: 'http://127.0.0.1:3000/login' }],
      expect: [{ cookie: 'sid', framework: 'unknown' }],
    },
    {
      name: 'two cookies, one of them affected, each reported once',
      https: [SID_HTTPS_SECURE],
      plain: [],
      forwarded: [
        SID_SECURE,
        {
          name: 'koa.sess',
          secure: true,
          raw: 'koa.sess=x; Secure',
          url: 'http://127.0.0.1:3000/login',
          framework: 'koa-session',
        },
        { name: 'koa.sess', secure: true, raw: 'koa.sess=y; Secure', url: 'http://127.0.0.1:3000/login' },
      ],
      expect: [
        { cookie: 'koa.sess', framework: 'koa-session', situation: 'cookie-only-with-forwarded-proto' },
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = compareProbe({
        ...base,
        https: side({ sessionCookies: c.https }),
        plain: c.plain,
        forwarded: c.forwarded,
        ...(c.hint ? { frameworkHint: c.hint } : {}),
      });
      assert.equal(got.length, c.expect.length, JSON.stringify(got));
      c.expect.forEach((e, i) => {
        for (const [k, v] of Object.entries(e))
          assert.equal((got[i] as unknown as Record<string, unknown>)[k], v, k);
        assert.equal(got[i]!.kind, 'proxy-trust');
        assert.equal(got[i]!.source, 'live');
        assert.equal(got[i]!.proxyEvidence, 'test');
        assert.match(got[i]!.evidence ?? '', /X-Forwarded-Proto: https/);
        assert.doesNotMatch(got[i]!.evidence ?? '', /abc\.def|=x;|=y;/, 'values redacted');
      });
    });
  }
});

test('sessionCookiesOf keeps kept session cookies only, first per name, by scheme', () => {
  const d = (scheme: 'https' | 'http') => ({
    url: `${scheme}://h.test/`,
    scheme,
    status: 200,
    hop: 0,
    requestedUrl: 'https://h.test/',
    redirect: false,
    probe: 'https',
  });
  const obs = [
    cookieObservationFromHeader('connect.sid=s%3Aa.b; Path=/; HttpOnly', d('https')),
    cookieObservationFromHeader('connect.sid=s%3Ac.d; Path=/; Secure', d('https')), // same name again
    cookieObservationFromHeader('PHPSESSID=deleted; Max-Age=0', d('https')), // deletion
    cookieObservationFromHeader('theme=dark', d('https')), // preference
    cookieObservationFromHeader('__Host-sid=abc; Path=/', d('https')), // rejected: no Secure
    cookieObservationFromHeader('sessionid=xyz; HttpOnly', d('http')),
    cookieObservationFromHeader('PHPSESSID=abc; Secure', d('http')), // dropped by browsers (SecureOnly), but sent
  ] as Observation[];
  assert.deepEqual(
    sessionCookiesOf(obs, 'https').map((c) => [c.name, c.secure]),
    [['connect.sid', false]],
  );
  assert.deepEqual(
    sessionCookiesOf(obs, 'http').map((c) => [c.name, c.secure]),
    [
      ['sessionid', false],
      ['PHPSESSID', true],
    ],
  );
  assert.deepEqual(
    sessionCookiesOf(obs).map((c) => c.name),
    ['connect.sid', 'sessionid', 'PHPSESSID'],
  );
});

test('frameworkFromPoweredBy', () => {
  assert.equal(frameworkFromPoweredBy('Express'), 'express');
  assert.equal(frameworkFromPoweredBy('PHP/8.2.36'), 'php');
  assert.equal(frameworkFromPoweredBy('Next.js'), undefined);
  assert.equal(frameworkFromPoweredBy(null), undefined);
});

// ---------------------------------------------------------------------------------------------
// Inside collectLive, against loopback servers

describe('the probe inside check', () => {
  let ca: TestCa;
  before(async () => {
    ca = await makeTestCa();
  });
  after(() => ca.cleanup());

  const forwardedHttps = (r: RecordedRequest): boolean => r.headers['x-forwarded-proto'] === 'https';
  const twinRequests = (site: TestSite): RecordedRequest[] =>
    site.requests.filter((r) => r.scheme === 'http');

  async function run(site: TestSite, extra: { cookies?: string[]; headers?: string[] } = {}) {
    const live = await collectLive([`${site.httpsOrigin}/login`], {
      http: site.httpOrigin,
      ca: [ca.caFile],
      timeoutMs: 5000,
      ...extra,
    });
    assert.deepEqual(live.errors, []);
    return {
      live,
      proxy: live.observations.filter((o) => o.kind === 'proxy-trust'),
      findings: runRules(live.observations),
    };
  }

  test('a Secure cookie set only when told HTTPS, behind a proxy that does not tell: cookie-only-with-forwarded-proto', async () => {
    const site = await startTestSite({
      cert: await ca.issue(LOOPBACK_NAMES),
      https: { '/login': { headers: { server: 'nginx/1.22.1' }, body: 'ok' } },
      http: {
        '/login': (r) => ({
          headers: {
            'x-powered-by': 'Express',
            ...(forwardedHttps(r)
              ? { 'set-cookie': 'connect.sid=s%3Asecret.sig; Path=/; HttpOnly; Secure' }
              : {}),
          },
          body: 'ok',
        }),
      },
    });
    try {
      const { proxy, findings } = await run(site, {
        cookies: ['user=top-secret'],
        headers: ['X-Api-Key: key-value'],
      });
      assert.equal(proxy.length, 1);
      assert.equal((proxy[0] as ProxyTrustObservation).situation, 'cookie-only-with-forwarded-proto');
      const f = findings.filter((x) => x.rule === 'session-trust-proxy-missing');
      assert.equal(f.length, 1);
      assert.equal(f[0]!.cookie, 'connect.sid');
      assert.equal(f[0]!.severity, 'medium');
      assert.doesNotMatch(f[0]!.evidence ?? '', /secret\.sig/);
      // The twin got the chain's request plus the two probe requests, none with the user's cookie or header.
      const twin = twinRequests(site);
      assert.equal(twin.length, 3);
      assert.equal(twin.filter(forwardedHttps).length, 1);
      assert.equal(twin.find(forwardedHttps)!.headers['x-forwarded-for'], '127.0.0.1');
      for (const r of twin) {
        assert.equal(r.headers.cookie, undefined, 'no --cookie over plain HTTP');
        assert.equal(r.headers['x-api-key'], undefined, 'no --header over plain HTTP');
      }
      // ... while the HTTPS request did carry them.
      const secure = site.requests.find((r) => r.scheme === 'https')!;
      assert.equal(secure.headers.cookie, 'user=top-secret');
      assert.equal(secure.headers['x-api-key'], 'key-value');
    } finally {
      await site.close();
    }
  });

  test('Secure only when told HTTPS, set without Secure over HTTPS: insecure-despite-https replaces cookie-missing-secure', async () => {
    const site = await startTestSite({
      cert: await ca.issue(LOOPBACK_NAMES),
      https: { '/login': { headers: { 'set-cookie': 'koa.sess=abc123; path=/; httponly' }, body: 'ok' } },
      http: {
        '/login': (r) => ({
          headers: {
            'set-cookie': `koa.sess=abc123; path=/;${forwardedHttps(r) ? ' secure;' : ''} httponly`,
          },
          body: 'ok',
        }),
      },
    });
    try {
      const { proxy, findings } = await run(site);
      assert.deepEqual(
        proxy.map((p) => [(p as ProxyTrustObservation).situation, (p as ProxyTrustObservation).framework]),
        [['insecure-despite-https', 'koa-session']],
      );
      const mine = findings.filter((x) => x.cookie === 'koa.sess').map((x) => [x.rule, x.severity]);
      assert.deepEqual(
        mine.filter(([r]) => r !== 'cookie-set-over-http'),
        [['session-trust-proxy-missing', 'high']],
        'the probe explains the missing Secure: one consequence, one finding',
      );
    } finally {
      await site.close();
    }
  });

  test('an app that ignores X-Forwarded-Proto: probed, nothing reported', async () => {
    const site = await startTestSite({
      cert: await ca.issue(LOOPBACK_NAMES),
      https: { '/login': { headers: { 'set-cookie': 'connect.sid=s%3Aa.b; Path=/; HttpOnly' }, body: 'ok' } },
      http: { '/login': { headers: { 'set-cookie': 'connect.sid=s%3Ac.d; Path=/; HttpOnly' }, body: 'ok' } },
    });
    try {
      const { proxy, findings } = await run(site);
      assert.deepEqual(proxy, []);
      assert.equal(twinRequests(site).length, 3, 'the chain request and the two probe requests');
      assert.ok(findings.some((f) => f.rule === 'cookie-missing-secure' && f.cookie === 'connect.sid'));
    } finally {
      await site.close();
    }
  });

  test('nothing suspicious (Secure session cookie over HTTPS): no probe request at all', async () => {
    const site = await startTestSite({
      cert: await ca.issue(LOOPBACK_NAMES),
      https: {
        '/login': {
          headers: { server: 'nginx', 'set-cookie': 'connect.sid=s%3Aa.b; Path=/; HttpOnly; Secure' },
          body: 'ok',
        },
      },
      http: { '*': { status: 301, headers: { server: 'nginx', location: '{https}{path}' } } },
    });
    try {
      const { proxy } = await run(site);
      assert.deepEqual(proxy, []);
      assert.equal(twinRequests(site).length, 1, 'only the twin chain');
    } finally {
      await site.close();
    }
  });

  test('a twin redirecting to HTTPS from the same server: no probe', async () => {
    const site = await startTestSite({
      cert: await ca.issue(LOOPBACK_NAMES),
      https: { '/login': { headers: { server: 'nginx' }, body: 'ok' } },
      http: { '*': { status: 301, headers: { server: 'nginx', location: '{https}{path}' } } },
    });
    try {
      const { proxy } = await run(site);
      assert.deepEqual(proxy, []);
      assert.equal(twinRequests(site).length, 1);
    } finally {
      await site.close();
    }
  });
});
