import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkFindings } from '../../src/link/index.js';
import type { Finding } from '../../src/model/finding.js';
import type { CookieObservation } from '../../src/model/observation.js';

function finding(p: Partial<Finding> & Pick<Finding, 'rule' | 'source'>): Finding {
  return {
    severity: 'high',
    message: 'm',
    cookie: null,
    location: null,
    url: null,
    evidence: null,
    fix: null,
    framework: null,
    ...p,
  };
}

const liveSecure = finding({
  rule: 'cookie-missing-secure',
  source: 'live',
  cookie: 'connect.sid',
  url: 'https://127.0.0.1:8443/',
});
const codeEnv = finding({
  rule: 'cookie-secure-env-dependent',
  source: 'code',
  cookie: 'connect.sid',
  location: { file: 'src/app.js', line: 12, column: 5 },
  evidence: "secure: process.env.NODE_ENV === 'production'",
});

test('a live finding links to the code finding about the same cookie, and back', () => {
  const out = linkFindings([liveSecure], [codeEnv]);
  assert.equal(out.length, 2);
  const [live, code] = out;
  assert.deepEqual(
    live.related?.map((r) => r.location),
    [{ file: 'src/app.js', line: 12, column: 5 }],
  );
  assert.match(live.related![0].message, /src\/app\.js:12/);
  assert.deepEqual(
    code.related?.map((r) => r.url),
    ['https://127.0.0.1:8443/'],
  );
  // inputs are not mutated
  assert.equal(liveSecure.related, undefined);
  assert.equal(codeEnv.related, undefined);
});

test('no link between different cookies or unrelated rules', () => {
  const otherCookie = { ...codeEnv, cookie: 'remember_token' };
  const unrelated = { ...codeEnv, rule: 'cookie-missing-httponly' };
  const out = linkFindings([liveSecure], [otherCookie, unrelated]);
  assert.equal(out[0].related, undefined);
  assert.equal(out[1].related, undefined);
  assert.equal(out[2].related, undefined);
});

test('site-level findings link to the code setting that decides them', () => {
  const liveHsts = finding({ rule: 'hsts-missing', source: 'live', url: 'https://h/' });
  const codeHsts = finding({
    rule: 'hsts-missing',
    source: 'code',
    location: { file: 'proj/settings.py', line: 3, column: 1 },
  });
  const [live] = linkFindings([liveHsts], [codeHsts]);
  assert.equal(live.related?.[0].location?.file, 'proj/settings.py');
});

test('without a code finding, the live finding points at the code observation of the cookie', () => {
  const obs: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name: 'connect.sid',
    secure: {
      value: false,
      provenance: { kind: 'explicit' },
      location: { file: 'app.js', line: 7, column: 20 },
      evidence: 'secure: false',
    },
    httpOnly: { value: true, provenance: { kind: 'explicit' } },
    sameSite: { value: 'lax', provenance: { kind: 'explicit' } },
    lifetime: { kind: 'session' },
    prefix: null,
    classification: { category: 'session', reason: 'r' },
    deletion: false,
    setBy: 'server',
  };
  const [live] = linkFindings([liveSecure], [], [obs]);
  assert.equal(live.related?.length, 1);
  assert.deepEqual(live.related?.[0].location, { file: 'app.js', line: 7, column: 20 });
  assert.match(live.related![0].message, /secure: false/);
});

test('the fix of a linked live finding comes from the framework the code shows, not from the cookie name', () => {
  const obs: CookieObservation = {
    kind: 'cookie',
    source: 'code',
    name: 'remember_token',
    secure: {
      value: false,
      provenance: { kind: 'explicit' },
      location: { file: 'server.js', line: 9, column: 3 },
    },
    httpOnly: { value: true, provenance: { kind: 'explicit' } },
    sameSite: { value: 'lax', provenance: { kind: 'explicit' } },
    lifetime: { kind: 'session' },
    prefix: null,
    classification: { category: 'session', reason: 'r' },
    deletion: false,
    setBy: 'server',
    framework: 'express',
  };
  const live = finding({
    rule: 'cookie-missing-secure',
    source: 'live',
    cookie: 'remember_token',
    url: 'https://app.test/login',
    fix: "Set `app.config['REMEMBER_COOKIE_SECURE'] = True`",
    framework: 'flask-login',
  });
  const [out] = linkFindings([live], [], [obs]);
  assert.equal(out.framework, 'express');
  assert.match(out.fix ?? '', /res\.cookie\('remember_token'/);
  assert.doesNotMatch(out.fix ?? '', /REMEMBER_COOKIE_SECURE/);
});
