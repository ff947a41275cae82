/**
 * The rules over observations made by the real Set-Cookie parser and classifier
 * (src/cookies/observe.ts): what `cookieguard check` will report for real headers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieObservationFromHeader } from '../../src/cookies/observe.js';
import type { LiveDelivery } from '../../src/model/observation.js';
import { runRules } from '../../src/rules/index.js';
import { assertWellFormed } from './helpers.js';

function delivery(url: string, extra: Partial<LiveDelivery> = {}): LiveDelivery {
  return {
    url,
    scheme: url.startsWith('https:') ? 'https' : 'http',
    status: 200,
    hop: 0,
    requestedUrl: url,
    redirect: false,
    probe: 'https',
    ...extra,
  };
}

const NOW = new Date('2026-01-01T00:00:00Z');

/** [header, url, expected "rule severity" list, text the fix of the first finding must contain] */
const cases: [string, string, string[], string?][] = [
  [
    'PHPSESSID=abc123def456; path=/',
    'https://shop.test/',
    ['cookie-missing-httponly medium', 'cookie-missing-secure high'],
    'session.cookie_httponly = 1',
  ],
  [
    'connect.sid=s%3Aabc.def; Path=/; HttpOnly; SameSite=None',
    'https://shop.test/',
    ['cookie-samesite-none-insecure medium'],
    'cookie: { secure: true }',
  ],
  [
    '__Host-sid=abcdef; Secure; Domain=shop.test; Path=/',
    'https://shop.test/',
    ['cookie-prefix-invalid medium'],
  ],
  ['__host-sid=abcdef; Secure; HttpOnly', 'https://shop.test/a/b', ['cookie-prefix-invalid medium']],
  ['sid=; Max-Age=0; Path=/', 'https://shop.test/', []],
  ['sid=deleted; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'http://shop.test/', []],
  ['csrftoken=abcdefabcdef; Secure; SameSite=Lax; Path=/', 'https://shop.test/', []],
  ['sid=abcdef; Secure; HttpOnly; SameSite=None', 'https://shop.test/', []],
  ['sid=abcdef; Secure; HttpOnly', 'http://shop.test/', ['cookie-secure-over-http medium']],
  [
    'sid=abcdef; Secure; HttpOnly',
    'http://localhost:3000/',
    ['cookie-secure-over-http low', 'cookie-set-over-http high'],
  ],
  ['sid=abcdef; HttpOnly', 'http://shop.test/', ['cookie-set-over-http high']],
  [
    'sessionid=abcdef; HttpOnl; Secure',
    'https://shop.test/',
    ['cookie-missing-httponly medium', 'set-cookie-malformed low'],
    'SESSION_COOKIE_HTTPONLY = True',
  ],
  [
    'sid=abcdef; Secure; HttpOnly; Domain=.shop.test',
    'https://www.shop.test/',
    ['cookie-domain-broad medium'],
  ],
  [
    'sid=abcdef; Secure; HttpOnly; Domain=evil.test',
    'https://www.shop.test/',
    ['cookie-domain-invalid medium'],
  ],
  ['sid=abcdef; Secure; HttpOnly; Max-Age=1209600', 'https://shop.test/', ['session-cookie-persistent low']],
  [`session=${'a'.repeat(4200)}; Secure; HttpOnly`, 'https://shop.test/', ['cookie-oversized medium']],
];

for (const [header, url, expected, fix] of cases) {
  test(`real parser: ${header.slice(0, 60)} @ ${url}`, () => {
    const o = cookieObservationFromHeader(header, delivery(url), { now: NOW });
    const found = runRules([o]);
    assert.deepEqual(
      found.map((f) => `${f.rule} ${f.severity}`).sort(),
      [...expected].sort(),
      found.map((f) => f.message).join('\n'),
    );
    for (const f of found) {
      assertWellFormed(f, header);
      assert.ok(f.evidence?.startsWith('Set-Cookie: '), f.evidence ?? '');
      assert.ok(!(f.evidence ?? '').includes('abcdef'), `value leaked: ${f.evidence}`);
    }
    if (fix) assert.ok(found[0]!.fix!.includes(fix), found[0]!.fix!);
  });
}

test('real parser: a cookie set on the http:// redirect and again over HTTPS', () => {
  const hop0 = cookieObservationFromHeader(
    'PHPSESSID=abcdefabcdef; path=/',
    delivery('http://shop.test/login', {
      redirect: true,
      status: 301,
      requestedUrl: 'http://shop.test/login',
    }),
    { now: NOW },
  );
  const hop1 = cookieObservationFromHeader(
    'PHPSESSID=abcdefabcdef; path=/; HttpOnly',
    delivery('https://shop.test/login', { hop: 1, requestedUrl: 'http://shop.test/login' }),
    { now: NOW },
  );
  const found = runRules([hop1, hop0]);
  const set = found.find((f) => f.rule === 'cookie-set-over-http');
  assert.ok(set);
  assert.match(set.message, /plain-HTTP redirect http:\/\/shop\.test\/login \(status 301\)/);
  assert.ok(found.some((f) => f.rule === 'cookie-missing-secure' && f.url === 'https://shop.test/login'));
});
