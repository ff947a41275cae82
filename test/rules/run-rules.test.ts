/**
 * The engine's principles (spec/findings.md): one consequence one finding, severity by what is at
 * stake, no noise (deletions, CSRF cookies, SameSite=None; Secure), test code at info, unknown
 * values never reported, a deterministic and deduplicated output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Observation } from '../../src/model/observation.js';
import { allRules, compareFindings, ruleById, runRules } from '../../src/rules/index.js';
import {
  codeHsts,
  cookie,
  envDependent,
  hsts,
  httpTwin,
  loc,
  malformedHeader,
  page,
  proxyTrust,
  sessionIdInUrlObs,
  setting,
  tls,
  unknownAttr,
} from './helpers.js';

function rules(obs: Observation[]): string[] {
  return runRules(obs).map((f) => `${f.rule}:${f.cookie ?? ''}:${f.severity}`);
}

/** A cookie with every problem a cookie can have short of being rejected. */
const everythingWrong = {
  secure: false,
  httpOnly: false,
  sameSite: 'lax' as const,
  domain: 'example.com',
  lifetime: { kind: 'persistent' as const, seconds: 86400 * 30 },
};

test('deletions produce nothing, whatever their attributes', () => {
  const obs = [
    cookie({
      name: 'sid',
      url: 'https://app.example.com/logout',
      ...everythingWrong,
      deletion: true,
      value: '',
    }),
    cookie({
      name: 'sid',
      url: 'http://app.example.com/logout',
      ...everythingWrong,
      deletion: true,
      value: '',
    }),
    cookie({
      name: '__Host-sid',
      url: 'https://app.example.com/',
      secure: false,
      sameSite: 'none',
      deletion: true,
    }),
    cookie({ name: 'sid', ...everythingWrong, deletion: true }),
  ];
  assert.deepEqual(runRules(obs), []);
});

test('SameSite=None; Secure; HttpOnly over HTTPS produces nothing', () => {
  assert.deepEqual(
    runRules([
      cookie({ name: 'sid', url: 'https://a.test/', sameSite: 'none', secure: true, httpOnly: true }),
    ]),
    [],
  );
});

test('CSRF cookies never get cookie-missing-httponly', () => {
  const obs = ['csrftoken', 'XSRF-TOKEN', '_csrf'].map((name) =>
    cookie({ name, category: 'csrf', url: 'https://a.test/', httpOnly: false, secure: true }),
  );
  assert.deepEqual(rules(obs), []);
});

test('a rejected cookie gets only the rejection finding', () => {
  const cases: [Observation, string][] = [
    [
      cookie({ name: 'sid', url: 'https://app.example.com/', ...everythingWrong, sameSite: 'none' }),
      'cookie-samesite-none-insecure',
    ],
    [
      cookie({ name: '__Host-sid', url: 'https://app.example.com/', ...everythingWrong }),
      'cookie-prefix-invalid',
    ],
    [
      cookie({ name: 'sid', url: 'http://app.example.com/', ...everythingWrong, secure: true }),
      'cookie-secure-over-http',
    ],
    [
      cookie({ name: 'sid', url: 'https://app.example.com/', ...everythingWrong, size: 5000 }),
      'cookie-oversized',
    ],
    [
      cookie({ name: 'sid', url: 'https://app.example.com/', ...everythingWrong, domain: 'other.test' }),
      'cookie-domain-invalid',
    ],
    [
      cookie({
        name: 'sid',
        url: 'https://app.example.com/',
        ...everythingWrong,
        rejectedBy: ['DisallowedCharacter'],
      }),
      'set-cookie-malformed',
    ],
    [cookie({ name: 'sid', ...everythingWrong, sameSite: 'none' }), 'cookie-samesite-none-insecure'],
  ];
  for (const [obs, id] of cases) {
    const found = runRules([obs]);
    assert.deepEqual(
      found.map((f) => f.rule),
      [id],
      `${id}: ${found.map((f) => f.message).join(' | ')}`,
    );
    assert.equal(found[0]!.severity, 'medium', `${id}: a rejected session cookie is medium`);
  }
});

test('a cookie over plain HTTP gets cookie-set-over-http, not cookie-missing-secure', () => {
  const ids = runRules([cookie({ name: 'sid', url: 'http://a.test/', secure: false })]).map((f) => f.rule);
  assert.ok(ids.includes('cookie-set-over-http'));
  assert.ok(!ids.includes('cookie-missing-secure'));
});

test('analytics and infrastructure cookies are low or info; vendor cookies info and "vendor-controlled"', () => {
  const obs = [
    cookie({ name: '_ga', category: 'analytics', url: 'http://a.test/', ...everythingWrong }),
    cookie({ name: 'AWSALB', category: 'infrastructure', url: 'https://a.test/', ...everythingWrong }),
    cookie({
      name: '__cf_bm',
      category: 'infrastructure',
      vendor: 'Cloudflare',
      url: 'https://a.test/',
      ...everythingWrong,
    }),
  ];
  const found = runRules(obs);
  assert.ok(found.length > 0);
  for (const f of found) {
    assert.ok(f.severity === 'low' || f.severity === 'info', `${f.rule} ${f.cookie} is ${f.severity}`);
    if (f.cookie === '__cf_bm') {
      assert.equal(f.severity, 'info');
      assert.match(f.message, /vendor-controlled: Cloudflare/);
    }
  }
});

test('unknown values are never reported as insecure', () => {
  const c = cookie({
    name: 'sid',
    secure: unknownAttr(),
    httpOnly: unknownAttr(),
    sameSite: unknownAttr(),
    domain: unknownAttr(),
    path: unknownAttr(),
    lifetime: { kind: 'unknown' },
  });
  // Only said to be unresolved (info), never judged.
  assert.deepEqual(rules([c]), ['cookie-config-unresolved:sid:info']);
});

test('environment-dependent Secure is cookie-secure-env-dependent, never cookie-missing-secure', () => {
  const c = cookie({
    name: 'sid',
    secure: envDependent(false, 'not DEBUG', { production: true, development: false }),
  });
  assert.deepEqual(rules([c]), ['cookie-secure-env-dependent:sid:medium']);
});

test('everything found in test code is info', () => {
  const obs = [
    cookie({ name: 'sid', ...everythingWrong, inTestCode: true, location: loc('test/fixtures/app.js', 3) }),
    setting('django', 'ssl-redirect', false, { inTestCode: true }),
    proxyTrust('secure-without-trust', { inTestCode: true, location: loc('test/app.js', 9) }),
  ];
  const found = runRules(obs);
  assert.ok(found.length >= 5, found.map((f) => f.rule).join(', '));
  for (const f of found) assert.equal(f.severity, 'info', `${f.rule}: ${f.severity}`);
});

test('the same cookie on 50 hops of one URL is one finding per rule, with the other places related', () => {
  // Each hop stores its own cookie (its own Path): none overwrites another.
  const obs = Array.from({ length: 50 }, (_, hop) =>
    cookie({
      name: 'sid',
      url: `https://a.test/step/${hop}`,
      path: `/step/${hop}`,
      hop,
      requestedUrl: 'https://a.test/start',
      httpOnly: false,
      secure: false,
    }),
  );
  const found = runRules(obs);
  assert.deepEqual(found.map((f) => f.rule).sort(), ['cookie-missing-httponly', 'cookie-missing-secure']);
  for (const f of found) {
    assert.equal(f.url, 'https://a.test/step/0', 'the earliest hop represents the group');
    assert.equal(f.related?.length, 10, 'related is capped');
  }
});

test('a cookie overwritten later in the chain is judged by what the browser stores, plus its clear-text hop', () => {
  const obs = [
    // The plain-HTTP redirect sets PHPSESSID without HttpOnly ...
    cookie({
      name: 'PHPSESSID',
      url: 'http://a.test/',
      hop: 0,
      requestedUrl: 'http://a.test/',
      redirect: true,
      secure: false,
      httpOnly: false,
    }),
    // ... then the HTTPS page replaces it with Secure; HttpOnly.
    cookie({
      name: 'PHPSESSID',
      url: 'https://a.test/',
      hop: 1,
      requestedUrl: 'http://a.test/',
      secure: true,
    }),
  ];
  assert.deepEqual(rules(obs), ['cookie-set-over-http:PHPSESSID:high']);
  // Not overwritten (another path): the HTTP one is still stored and judged.
  const kept = [obs[0]!, { ...obs[1]!, path: { value: '/app', provenance: { kind: 'observed' as const } } }];
  assert.deepEqual(rules(kept).sort(), [
    'cookie-missing-httponly:PHPSESSID:medium',
    'cookie-set-over-http:PHPSESSID:high',
  ]);
});

test('different requested URLs and different code locations stay separate', () => {
  const obs = [
    cookie({ name: 'sid', url: 'https://a.test/a', requestedUrl: 'https://a.test/a', secure: false }),
    cookie({ name: 'sid', url: 'https://a.test/b', requestedUrl: 'https://a.test/b', secure: false }),
    cookie({ name: 'sid', secure: false, location: loc('a.js', 1) }),
    cookie({ name: 'sid', secure: false, location: loc('a.js', 2) }),
    cookie({ name: 'sid', secure: false, location: loc('a.js', 2) }),
  ];
  assert.equal(runRules(obs).filter((f) => f.rule === 'cookie-missing-secure').length, 4);
});

test('merging keeps the worst severity', () => {
  const obs = [
    cookie({
      name: 'sid',
      url: 'https://a.test/1',
      hop: 0,
      requestedUrl: 'https://a.test/',
      category: 'unknown',
      secure: false,
    }),
    cookie({
      name: 'sid',
      url: 'https://a.test/2',
      hop: 1,
      requestedUrl: 'https://a.test/',
      category: 'session',
      secure: false,
    }),
  ];
  const found = runRules(obs).filter((f) => f.rule === 'cookie-missing-secure');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'high');
  assert.equal(found[0]!.url, 'https://a.test/2');
});

/** One of everything, so that every rule fires at least once. */
function kitchenSink(): Observation[] {
  return [
    cookie({ name: 'sid', url: 'https://app.example.com/', ...everythingWrong, value: 'SECRET-1' }),
    cookie({ name: 'sid', url: 'http://app.example.com/', secure: false, value: 'SECRET-2' }),
    cookie({
      name: 'sid',
      url: 'https://app.example.com/',
      secure: true,
      requestedUrl: 'https://app.example.com/x',
    }),
    cookie({ name: 'cross', url: 'https://app.example.com/', secure: false, sameSite: 'none' }),
    cookie({ name: 'odd', url: 'https://app.example.com/', sameSite: 'invalid', sameSiteRaw: 'Nope' }),
    cookie({ name: '__Host-x', url: 'https://app.example.com/', domain: 'app.example.com' }),
    cookie({ name: 'big', url: 'https://app.example.com/', size: 9000 }),
    cookie({ name: 'tls', url: 'http://app.example.com/', secure: true }),
    cookie({ name: 'dom', url: 'https://app.example.com/', domain: 'elsewhere.test' }),
    cookie({ name: 'typo', url: 'https://app.example.com/', raw: 'typo=1; HttpOnl' }),
    cookie({ name: 'connect.sid', secure: envDependent('unknown', 'NODE_ENV', { production: true }) }),
    cookie({ name: 'PHPSESSID', secure: false, framework: 'php', location: loc('php.ini', 2) }),
    cookie({
      name: 'session',
      secure: unknownAttr('from_pyfile outside the tree'),
      location: loc('app.py', 3),
    }),
    hsts('https://app.example.com/', null),
    hsts('https://www.example.com/', 'max-age=60', { maxAge: 60 }),
    codeHsts('django', 0),
    httpTwin('http://app.example.com/'),
    setting('django', 'ssl-redirect', false),
    setting('django', 'hsts-max-age', 100),
    sessionIdInUrlObs('url', 'https://app.example.com/?PHPSESSID=SECRET-3', 'PHPSESSID', {
      value: 'SECRET-3',
    }),
    proxyTrust('secure-without-trust', { location: loc('app.js', 1) }),
    tls('https://app.example.com/', false, { error: 'certificate has expired' }),
    malformedHeader('https://app.example.com/', 'a\u0000=SECRET-4', 'control character'),
    page('https://app.example.com/', {
      insecureSubresources: [{ url: 'http://cdn.test/a.js', type: 'script' }],
      insecureFormActions: ['http://app.example.com/login'],
    }),
    // check --login
    {
      kind: 'login',
      source: 'live',
      url: 'https://app.example.com/login',
      action: 'https://app.example.com/login',
      evidence: 'POST https://app.example.com/login (form fields: user, pass; values not shown)',
      cookies: [
        {
          name: 'PHPSESSID',
          domain: 'app.example.com',
          path: '/',
          before: true,
          after: true,
          sameValue: true,
          classification: { category: 'session', reason: "PHP's default session cookie", framework: 'php' },
        },
      ],
    },
    // check --browser (issue 12): a cookie Chromium blocked for a reason no other rule names.
    {
      ...cookie({
        name: 'widget_sid',
        url: 'https://widget.example.net/',
        value: 'SECRET-5',
        source: 'browser',
        rejectedBy: ['BlockedByBrowser'],
      }),
      blockedByBrowser: { browser: 'chromium', reasons: ['ThirdPartyPhaseout'], how: 'protocol' },
    },
  ];
}

test('every rule fires on the kitchen sink, and no value leaks into evidence or messages', () => {
  const found = runRules(kitchenSink());
  const fired = new Set(found.map((f) => f.rule));
  for (const r of allRules) assert.ok(fired.has(r.meta.id), `${r.meta.id} did not fire`);
  for (const f of found) {
    assert.ok(ruleById(f.rule), f.rule);
    for (const secret of ['SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4']) {
      assert.ok(!(f.evidence ?? '').includes(secret), `${f.rule} evidence leaks ${secret}: ${f.evidence}`);
      assert.ok(!f.message.includes(secret), `${f.rule} message leaks ${secret}`);
      assert.ok(!(f.url ?? '').includes(secret), `${f.rule} url leaks ${secret}`);
    }
  }
  assert.ok(
    found.some((f) => f.rawEvidence?.includes('SECRET-1')),
    'rawEvidence keeps the value for --show-values',
  );
});

test('runRules is deterministic: any order of the observations gives the same findings, in sorted order', () => {
  const obs = kitchenSink();
  const expected = JSON.stringify(runRules(obs));
  const sorted = runRules(obs);
  assert.deepEqual([...sorted].sort(compareFindings), sorted);
  fc.assert(
    fc.property(fc.shuffledSubarray(obs, { minLength: obs.length, maxLength: obs.length }), (perm) => {
      assert.equal(JSON.stringify(runRules(perm)), expected);
    }),
    { numRuns: 60, seed: 42 },
  );
});

test('runRules does not modify its input', () => {
  const obs = kitchenSink();
  const before = JSON.stringify(obs);
  const freeze = (v: unknown): void => {
    if (v && typeof v === 'object' && !Object.isFrozen(v)) {
      Object.freeze(v);
      for (const x of Object.values(v)) freeze(x);
    }
  };
  freeze(obs);
  runRules(obs);
  assert.equal(JSON.stringify(obs), before);
});

test('findings are sorted by source, file or URL, line, rule and cookie', () => {
  const found = runRules(kitchenSink());
  const order = ['code', 'live', 'crawl', 'browser', 'har'];
  for (let i = 1; i < found.length; i++) {
    const a = found[i - 1]!;
    const b = found[i]!;
    assert.ok(order.indexOf(a.source) <= order.indexOf(b.source));
    if (a.source === b.source) {
      const ka = a.location?.file ?? a.url ?? '';
      const kb = b.location?.file ?? b.url ?? '';
      assert.ok(ka <= kb, `${ka} > ${kb}`);
    }
  }
});
