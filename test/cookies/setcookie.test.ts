/**
 * parseSetCookie against draft-ietf-httpbis-rfc6265bis-22 §5 (user-agent requirements), as case
 * tables: each row is a raw header, the URL of the response that carried it, and what a browser does.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_LIFETIME_SECONDS,
  defaultPathOf,
  isPublicSuffix,
  octetLength,
  parseCookieDate,
  parseSetCookie,
  type ParsedSetCookie,
} from '../../src/cookies/setcookie.js';

const NOW = new Date('2025-01-01T00:00:00Z');
const HTTPS = 'https://site.example/';

interface Case {
  title: string;
  raw: string;
  url?: string;
  now?: Date;
  expect: Partial<Omit<ParsedSetCookie, 'attributes'>> & {
    attributes?: Partial<ParsedSetCookie['attributes']>;
  };
  /** Issue codes that must be present. */
  issues?: string[];
}

function check(c: Case): void {
  const r = parseSetCookie(c.raw, c.url ?? HTTPS, c.now ?? NOW);
  const { attributes, ...rest } = c.expect;
  for (const [k, v] of Object.entries(rest)) {
    assert.deepEqual((r as unknown as Record<string, unknown>)[k], v, `${c.title}: ${k}`);
  }
  for (const [k, v] of Object.entries(attributes ?? {})) {
    assert.deepEqual(
      (r.attributes as unknown as Record<string, unknown>)[k],
      v,
      `${c.title}: attributes.${k}`,
    );
  }
  for (const code of c.issues ?? []) {
    assert.ok(
      r.issues.some((i) => i.code === code),
      `${c.title}: expected issue ${code}, got ${JSON.stringify(r.issues)}`,
    );
  }
}

function run(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) test(c.title, () => check(c));
  });
}

// ---------------------------------------------------------------------------------------------

run('RFC 6265bis §3.1 examples', [
  {
    title: 'SID=31d4d96e407aad42',
    raw: 'SID=31d4d96e407aad42',
    expect: {
      name: 'SID',
      value: '31d4d96e407aad42',
      nameless: false,
      lifetime: { kind: 'session' },
      deletion: false,
      rejectedBy: [],
      hostOnly: true,
      effectiveDomain: 'site.example',
      effectivePath: '/',
      ignoredEntirely: false,
      size: 19,
    },
  },
  {
    title: 'Path=/; Domain=site.example from a subdomain',
    raw: 'SID=31d4d96e407aad42; Path=/; Domain=site.example',
    url: 'https://www.site.example/login',
    expect: {
      hostOnly: false,
      effectiveDomain: 'site.example',
      effectivePath: '/',
      rejectedBy: [],
      attributes: { domain: 'site.example', path: '/' },
    },
  },
  {
    title: 'Secure; HttpOnly',
    raw: 'SID=31d4d96e407aad42; Path=/; Secure; HttpOnly',
    expect: { attributes: { secure: true, httpOnly: true }, rejectedBy: [] },
  },
  {
    title: 'Expires in the future is persistent',
    raw: 'lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT',
    now: new Date('2021-06-09T10:18:04Z'),
    expect: { lifetime: { kind: 'persistent', seconds: 10 }, deletion: false },
  },
  {
    title: 'Expires in the past deletes',
    raw: 'lang=; Expires=Sun, 06 Nov 1994 08:49:37 GMT',
    expect: { deletion: true, value: '', lifetime: { kind: 'persistent', seconds: 0 } },
  },
]);

// §5.4: the prefix examples, verbatim from the draft, all set from a secure origin.
const PREFIX_REJECTED = [
  '__Secure-SID=12345; Domain=site.example',
  '__secure-SID=12345; Domain=site.example',
  '__SECURE-SID=12345; Domain=site.example',
  '__Host-SID=12345',
  '__host-SID=12345; Secure',
  '__host-SID=12345; Domain=site.example',
  '__HOST-SID=12345; Domain=site.example; Path=/',
  '__Host-SID=12345; Secure; Domain=site.example; Path=/',
  '__host-SID=12345; Secure; Domain=site.example; Path=/',
  '__HOST-SID=12345; Secure; Domain=site.example; Path=/',
];
const PREFIX_ACCEPTED = [
  '__Secure-SID=12345; Domain=site.example; Secure',
  '__secure-SID=12345; Domain=site.example; Secure',
  '__SECURE-SID=12345; Domain=site.example; Secure',
  '__Host-SID=12345; Secure; Path=/',
  '__host-SID=12345; Secure; Path=/',
  '__HOST-SID=12345; Secure; Path=/',
];
run('RFC 6265bis §5.4 prefix examples (matched case-insensitively)', [
  ...PREFIX_REJECTED.map((raw) => ({
    title: `rejected: ${raw}`,
    raw,
    expect: { rejectedBy: ['InvalidPrefix' as const] },
  })),
  ...PREFIX_ACCEPTED.map((raw) => ({
    title: `accepted: ${raw}`,
    raw,
    expect: {
      rejectedBy: [],
      prefix: raw.toLowerCase().startsWith('__host-') ? ('__Host-' as const) : ('__Secure-' as const),
    },
  })),
  {
    title: '__Host- with Path=/app',
    raw: '__Host-x=1; Secure; Path=/app',
    expect: { rejectedBy: ['InvalidPrefix'], prefix: '__Host-' },
  },
  {
    title: '__Secure- from plain HTTP is SecureOnly, and the prefix is satisfied',
    raw: '__Secure-x=1; Secure',
    url: 'http://site.example/',
    expect: { rejectedBy: ['SecureOnly'], prefix: '__Secure-' },
  },
  {
    title: 'nameless cookie whose value starts with __Secure-',
    raw: '=__Secure-abc',
    expect: { rejectedBy: ['InvalidPrefix'], nameless: true, prefix: null },
  },
  {
    title: 'nameless cookie (no "=") whose value starts with __host-',
    raw: '__host-abc; Secure; Path=/',
    expect: { rejectedBy: ['InvalidPrefix'], nameless: true, name: '', value: '__host-abc' },
  },
  {
    title: 'a name merely containing the prefix is not prefixed',
    raw: 'x__Host-a=1',
    expect: { prefix: null, rejectedBy: [] },
  },
]);

run('attribute syntax (RFC 6265bis §5.6)', [
  {
    title: 'Secure=false still means Secure',
    raw: 'a=1; Secure=false',
    expect: { attributes: { secure: true } },
    issues: ['other'],
  },
  {
    title: 'HttpOnly as the value is not the attribute',
    raw: 'a=HttpOnly',
    expect: { value: 'HttpOnly', attributes: { httpOnly: false } },
  },
  {
    title: 'attribute names are case-insensitive',
    raw: 'a=1; SECURE; httponly; sAmEsItE=sTrIcT; pAtH=/x; dOmAiN=site.example; mAx-AgE=60',
    expect: {
      attributes: {
        secure: true,
        httpOnly: true,
        sameSite: 'strict',
        path: '/x',
        domain: 'site.example',
        maxAge: 60,
      },
      lifetime: { kind: 'persistent', seconds: 60 },
    },
  },
  {
    title: 'quoted values keep their quotes',
    raw: 'a="quoted value"',
    expect: { value: '"quoted value"', size: 15 },
  },
  {
    title: 'spaces and tabs around name and value are removed, inner ones kept',
    raw: ' \t a b \t=\t c d \t; Path = /x ',
    expect: { name: 'a b', value: 'c d', attributes: { path: '/x' } },
  },
  {
    title: 'value may contain "="',
    raw: 'a=b=c==',
    expect: { name: 'a', value: 'b=c==' },
  },
  {
    title: 'percent-encoding is not decoded',
    raw: 'a=%41%3B',
    expect: { value: '%41%3B' },
  },
  {
    title: 'no "=": nameless cookie',
    raw: 'abc',
    expect: { name: '', value: 'abc', nameless: true, rejectedBy: [], ignoredEntirely: false },
    issues: ['no-equals'],
  },
  {
    title: 'empty name',
    raw: '=abc',
    expect: { name: '', value: 'abc', nameless: true },
    issues: ['empty-name'],
  },
  {
    title: 'empty value',
    raw: 'abc=',
    expect: { name: 'abc', value: '', nameless: false, rejectedBy: [] },
  },
  {
    title: 'unknown attribute is ignored',
    raw: 'a=1; Foo=bar; Priority=High',
    expect: { rejectedBy: [] },
    issues: ['unknown-attribute'],
  },
  {
    title: 'trailing and doubled semicolons are harmless',
    raw: 'a=1;; ;Secure;',
    expect: { attributes: { secure: true }, issues: [] },
  },
  {
    title: 'a name with a space gets an invalid-name issue but is kept',
    raw: 'my cookie=1',
    expect: { name: 'my cookie', rejectedBy: [] },
    issues: ['invalid-name'],
  },
  {
    title: 'express:sess is not reported as an invalid name',
    raw: 'express:sess=abc',
    expect: { issues: [] },
  },
  {
    title: 'Partitioned is recognised',
    raw: 'a=1; Secure; Partitioned',
    expect: { attributes: { partitioned: true }, issues: [] },
  },
  {
    title: 'Partitioned without Secure is noted',
    raw: 'a=1; Partitioned',
    expect: { attributes: { partitioned: true } },
    issues: ['other'],
  },
]);

run('duplicate attributes: the last valid one wins (RFC 6265bis §5.7)', [
  {
    title: 'Max-Age twice',
    raw: 'a=1; Max-Age=100; Max-Age=200',
    expect: { attributes: { maxAge: 200 }, lifetime: { kind: 'persistent', seconds: 200 } },
    issues: ['duplicate-attribute'],
  },
  {
    title: 'an invalid later Max-Age cancels a valid one (Chromium; the draft would keep it)',
    raw: 'a=1; Max-Age=100; Max-Age=abc',
    expect: { attributes: { maxAge: undefined }, lifetime: { kind: 'session' } },
    issues: ['duplicate-attribute', 'invalid-max-age'],
  },
  {
    title: 'an invalid later Expires cancels a valid one (Chromium)',
    raw: 'a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Expires=garbage',
    expect: { attributes: { expires: undefined }, lifetime: { kind: 'session' } },
    issues: ['duplicate-attribute', 'invalid-expires'],
  },
  {
    title: 'an invalid Max-Age leaves a valid Expires in charge',
    raw: 'a=1; Max-Age=abc; Expires=Thu, 02 Jan 2025 00:00:00 GMT',
    expect: { lifetime: { kind: 'persistent', seconds: 86400 } },
  },
  {
    title: 'an over-long later Max-Age is skipped, the earlier one stays',
    raw: `a=1; Max-Age=100; Max-Age=${'1'.repeat(1030)}`,
    expect: { attributes: { maxAge: 100 } },
    issues: ['attribute-too-long'],
  },
  {
    title: 'a negative Max-Age then a positive one: the last wins',
    raw: 'a=1; Max-Age=-5; Max-Age=100',
    expect: { deletion: false, lifetime: { kind: 'persistent', seconds: 100 } },
  },
  {
    title: 'Domain twice',
    raw: 'a=1; Domain=other.example; Domain=site.example',
    url: 'https://www.site.example/',
    expect: { attributes: { domain: 'site.example' }, rejectedBy: [], effectiveDomain: 'site.example' },
    issues: ['duplicate-attribute'],
  },
  {
    title: 'Path twice',
    raw: 'a=1; Path=/a; Path=/b',
    expect: { effectivePath: '/b' },
    issues: ['duplicate-attribute'],
  },
  {
    title: 'SameSite=Lax then SameSite=Bogus: the last decides (Default)',
    raw: 'a=1; SameSite=Lax; SameSite=Bogus',
    expect: { attributes: { sameSite: 'invalid', sameSiteRaw: 'Bogus' } },
    issues: ['duplicate-attribute'],
  },
  {
    title: 'SameSite=None then SameSite=Lax without Secure is accepted',
    raw: 'a=1; SameSite=None; SameSite=Lax',
    expect: { attributes: { sameSite: 'lax' }, rejectedBy: [] },
  },
]);

run('lifetime: Max-Age, Expires, deletion, 400-day cap (RFC 6265bis §5.5, §5.6.1, §5.6.2, §5.7 step 6)', [
  {
    title: 'Max-Age=abc is ignored',
    raw: 'a=1; Max-Age=abc',
    expect: { lifetime: { kind: 'session' }, deletion: false, attributes: { maxAge: undefined } },
    issues: ['invalid-max-age'],
  },
  { title: 'Max-Age=+5 is ignored', raw: 'a=1; Max-Age=+5', expect: { lifetime: { kind: 'session' } } },
  { title: 'Max-Age=1.5 is ignored', raw: 'a=1; Max-Age=1.5', expect: { lifetime: { kind: 'session' } } },
  { title: 'Max-Age=- 5 is ignored', raw: 'a=1; Max-Age=- 5', expect: { lifetime: { kind: 'session' } } },
  { title: 'Max-Age= (empty) is ignored', raw: 'a=1; Max-Age=', expect: { lifetime: { kind: 'session' } } },
  {
    title: 'Max-Age with spaces around the value is trimmed',
    raw: 'a=1; Max-Age =  5 ',
    expect: { lifetime: { kind: 'persistent', seconds: 5 } },
  },
  {
    title: 'max-age=0 with an empty value deletes',
    raw: 'sid=; max-age=0',
    expect: { deletion: true, value: '', lifetime: { kind: 'persistent', seconds: 0 } },
  },
  { title: 'Max-Age=-1 deletes', raw: 'a=1; Max-Age=-1', expect: { deletion: true } },
  {
    title: 'Max-Age wins over a past Expires',
    raw: 'a=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=100',
    expect: { deletion: false, lifetime: { kind: 'persistent', seconds: 100 } },
  },
  {
    title: 'Max-Age=0 wins over a future Expires',
    raw: 'a=1; Max-Age=0; Expires=Thu, 01 Jan 2026 00:00:00 GMT',
    expect: { deletion: true },
  },
  {
    title: 'Max-Age over 400 days is capped',
    raw: 'a=1; Max-Age=99999999999999999999999',
    expect: {
      lifetime: { kind: 'persistent', seconds: MAX_LIFETIME_SECONDS, capped: true },
      deletion: false,
    },
  },
  {
    title: 'Max-Age of exactly 400 days is not capped',
    raw: `a=1; Max-Age=${MAX_LIFETIME_SECONDS}`,
    expect: { lifetime: { kind: 'persistent', seconds: MAX_LIFETIME_SECONDS } },
  },
  {
    title: 'Expires more than 400 days ahead is capped',
    raw: 'a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT',
    expect: { lifetime: { kind: 'persistent', seconds: MAX_LIFETIME_SECONDS, capped: true } },
  },
  {
    title: 'expires with a comma inside the date (not split)',
    raw: 'a=1; expires=Thu, 02 Jan 2025 00:00:00 GMT; Path=/',
    expect: { lifetime: { kind: 'persistent', seconds: 86400 }, effectivePath: '/' },
  },
  {
    title: 'Expires that is not a cookie-date is ignored',
    raw: 'a=1; Expires=tomorrow',
    expect: { lifetime: { kind: 'session' }, attributes: { expires: undefined } },
    issues: ['invalid-expires'],
  },
  {
    title: 'Expires equal to now deletes',
    raw: 'a=1; Expires=Wed, 01 Jan 2025 00:00:00 GMT',
    expect: { deletion: true },
  },
]);

run('Domain (RFC 6265bis §5.6.3, §5.7 steps 7-10)', [
  {
    title: 'Domain=.example.com on example.com: dot stripped, accepted',
    raw: 'a=1; Domain=.Example.COM',
    url: 'https://example.com/',
    expect: { attributes: { domain: 'example.com' }, hostOnly: false, rejectedBy: [] },
  },
  {
    title: 'Domain=.example.com on evil.com: rejected',
    raw: 'a=1; Domain=.example.com',
    url: 'https://evil.com/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'Domain=co.uk (public suffix): rejected',
    raw: 'a=1; Domain=co.uk',
    url: 'https://shop.example.co.uk/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'Domain=example.co.uk from a subdomain: accepted',
    raw: 'a=1; Domain=example.co.uk',
    url: 'https://shop.example.co.uk/',
    expect: { rejectedBy: [], hostOnly: false, effectiveDomain: 'example.co.uk' },
  },
  {
    title: 'Domain=github.io from github.io: public suffix equal to the host becomes host-only',
    raw: 'a=1; Domain=github.io',
    url: 'https://github.io/',
    expect: { rejectedBy: [], hostOnly: true, effectiveDomain: 'github.io' },
  },
  {
    title: 'Domain=github.io from user.github.io: rejected (private PSL section)',
    raw: 'a=1; Domain=github.io',
    url: 'https://user.github.io/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'Domain=com: rejected',
    raw: 'a=1; Domain=com',
    url: 'https://example.com/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'Domain=test (special-use TLD) from app.test: rejected',
    raw: 'a=1; Domain=test',
    url: 'http://app.test/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'Domain=app.test from api.app.test: accepted',
    raw: 'a=1; Domain=app.test',
    url: 'http://api.app.test/',
    expect: { rejectedBy: [], effectiveDomain: 'app.test' },
  },
  {
    title: 'a suffix that is not on a label boundary: rejected',
    raw: 'a=1; Domain=ample.com',
    url: 'https://example.com/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'Domain equal to an IP host: host-only',
    raw: 'a=1; Domain=127.0.0.1',
    url: 'http://127.0.0.1:8080/',
    expect: { rejectedBy: [], hostOnly: true, effectiveDomain: '127.0.0.1' },
  },
  {
    title: 'Domain that is a suffix of an IP host: rejected (IPs do not domain-match)',
    raw: 'a=1; Domain=0.0.1',
    url: 'http://127.0.0.1/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'non-ASCII Domain: rejected (§5.7 step 8)',
    raw: 'a=1; Domain=bücher.example',
    url: 'https://xn--bcher-kva.example/',
    expect: { rejectedBy: ['InvalidDomain'] },
  },
  {
    title: 'Domain= (empty) is host-only',
    raw: 'a=1; Domain=',
    url: 'https://www.example.com/',
    expect: { rejectedBy: [], hostOnly: true, effectiveDomain: 'www.example.com' },
  },
  {
    title: 'Domain=localhost from localhost',
    raw: 'a=1; Domain=localhost',
    url: 'http://localhost:3000/',
    expect: { rejectedBy: [], effectiveDomain: 'localhost' },
  },
]);

run('Path (RFC 6265bis §5.1.4, §5.6.4)', [
  {
    title: 'default path of /a/b/c is /a/b',
    raw: 'a=1',
    url: 'https://x.example/a/b/c',
    expect: { effectivePath: '/a/b' },
  },
  {
    title: 'default path of /a is /',
    raw: 'a=1',
    url: 'https://x.example/a',
    expect: { effectivePath: '/' },
  },
  {
    title: 'Path not starting with / uses the default path',
    raw: 'a=1; Path=foo',
    url: 'https://x.example/a/b/c',
    expect: { effectivePath: '/a/b', attributes: { path: '/a/b' } },
    issues: ['other'],
  },
  {
    title: '__Host- with Path=foo on a deep URL is rejected',
    raw: '__Host-a=1; Secure; Path=foo',
    url: 'https://x.example/a/b/c',
    expect: { rejectedBy: ['InvalidPrefix'] },
  },
  {
    title: '__Host- with an empty Path from / is accepted (the default path is /)',
    raw: '__Host-a=1; Secure; Path=',
    url: 'https://x.example/login',
    expect: { rejectedBy: [] },
  },
]);

run('Secure origin, SameSite (RFC 6265bis §5.6.7, §5.7 steps 13, 17, 19)', [
  {
    title: 'Secure from plain HTTP: SecureOnly',
    raw: 'a=1; Secure',
    url: 'http://site.example/',
    expect: { rejectedBy: ['SecureOnly'], secureTransport: false, loopbackSecureContext: false },
  },
  {
    title: 'Secure from http://localhost: recorded, loopback flag set',
    raw: 'a=1; Secure',
    url: 'http://localhost:3000/',
    expect: { rejectedBy: ['SecureOnly'], loopbackSecureContext: true },
  },
  {
    title: 'Secure from http://127.0.0.1: loopback',
    raw: 'a=1; Secure',
    url: 'http://127.0.0.1:3000/',
    expect: { loopbackSecureContext: true },
  },
  {
    title: 'Secure from http://[::1]: loopback',
    raw: 'a=1; Secure',
    url: 'http://[::1]:3000/',
    expect: { loopbackSecureContext: true, requestHost: '[::1]' },
  },
  {
    title: 'Secure from http://app.localhost: loopback',
    raw: 'a=1; Secure',
    url: 'http://app.localhost/',
    expect: { loopbackSecureContext: true },
  },
  {
    title: 'Secure from wss: accepted',
    raw: 'a=1; Secure',
    url: 'wss://site.example/',
    expect: { rejectedBy: [] },
  },
  {
    title: 'SameSite=None without Secure',
    raw: 'a=1; SameSite=None',
    expect: { rejectedBy: ['SameSiteNoneInsecure'], attributes: { sameSite: 'none' } },
  },
  {
    title: 'SameSite=None with Secure',
    raw: 'a=1; SameSite=None; Secure',
    expect: { rejectedBy: [], attributes: { sameSite: 'none' } },
  },
  {
    title: 'SameSite=none is case-insensitive',
    raw: 'a=1; samesite=NONE; secure',
    expect: { rejectedBy: [], attributes: { sameSite: 'none', sameSiteRaw: 'NONE' } },
  },
  {
    title: 'SameSite=Bogus is invalid, raw kept',
    raw: 'a=1; SameSite=Bogus',
    expect: { rejectedBy: [], attributes: { sameSite: 'invalid', sameSiteRaw: 'Bogus' } },
  },
  {
    title: 'SameSite without a value is invalid',
    raw: 'a=1; SameSite',
    expect: { attributes: { sameSite: 'invalid', sameSiteRaw: '' } },
  },
  { title: 'no SameSite is unset', raw: 'a=1', expect: { attributes: { sameSite: 'unset' } } },
  {
    title: 'SameSite=None without Secure from plain HTTP: one rejection per reason',
    raw: 'a=1; SameSite=None',
    url: 'http://site.example/',
    expect: { rejectedBy: ['SameSiteNoneInsecure'] },
  },
]);

const big = (n: number): string => 'x'.repeat(n);
run('sizes (RFC 6265bis §5.6 steps 5-6)', [
  {
    title: 'name + value = 4096 octets is kept',
    raw: `a=${big(4095)}`,
    expect: { rejectedBy: [], size: 4096 },
  },
  {
    title: 'name + value = 4097 octets is ignored',
    raw: `a=${big(4096)}`,
    expect: { rejectedBy: ['NameValuePairExceedsMaxSize'], size: 4097 },
  },
  {
    title: 'the limit counts octets: 1365 three-octet chars and one ASCII char are 4096 octets',
    raw: `=${'€'.repeat(1365)}x`,
    expect: { size: 4096, rejectedBy: [] },
  },
  {
    title: 'an attribute value over 1024 octets is ignored, the cookie kept',
    raw: `a=1; Path=/${big(1024)}`,
    url: 'https://x.example/a/b',
    expect: { rejectedBy: [], effectivePath: '/a', attributes: { path: undefined } },
    issues: ['attribute-too-long'],
  },
  {
    title: 'an attribute value of exactly 1024 octets is used',
    raw: `a=1; Path=/${big(1023)}`,
    expect: { effectivePath: `/${big(1023)}` },
  },
  {
    title: 'a Domain over 1024 octets is ignored: the cookie is host-only',
    raw: `a=1; Domain=${'a.'.repeat(520)}example`,
    url: 'https://www.example.com/',
    expect: { rejectedBy: [], hostOnly: true },
    issues: ['attribute-too-long'],
  },
]);

run('characters (RFC 6265bis §5.6 step 1)', [
  {
    title: 'NUL in the value',
    raw: 'a=b\x00c',
    expect: { rejectedBy: ['DisallowedCharacter'] },
    issues: ['control-character'],
  },
  { title: 'CR in the value', raw: 'a=b\rc', expect: { rejectedBy: ['DisallowedCharacter'] } },
  { title: 'LF in the name', raw: 'a\nb=c', expect: { rejectedBy: ['DisallowedCharacter'] } },
  { title: 'DEL', raw: 'a=b\x7f', expect: { rejectedBy: ['DisallowedCharacter'] } },
  {
    title: 'CTL inside an attribute',
    raw: 'a=b; Path=/\x01',
    expect: { rejectedBy: ['DisallowedCharacter'] },
  },
  { title: 'HTAB inside the value is allowed', raw: 'a=b\tc', expect: { rejectedBy: [], value: 'b\tc' } },
  {
    title: '8-bit bytes (latin1 byte string) are kept and counted one octet each',
    raw: 'a=caf\xe9',
    expect: { rejectedBy: [], size: 5, value: 'caf\xe9' },
    issues: ['non-ascii'],
  },
  {
    title: 'code points above U+00FF are measured as UTF-8',
    raw: 'a=€',
    expect: { rejectedBy: [], size: 4 },
    issues: ['non-ascii'],
  },
  {
    title: 'a lone surrogate does not throw',
    raw: 'a=\ud800',
    expect: { rejectedBy: [], size: 4 },
  },
]);

run('headers from which nothing is stored (RFC 6265bis §5.7 step 2)', [
  { title: 'empty', raw: '', expect: { ignoredEntirely: true, rejectedBy: ['SyntaxError'] } },
  { title: 'spaces only', raw: '   \t ', expect: { ignoredEntirely: true } },
  { title: 'a lone "="', raw: '=', expect: { ignoredEntirely: true } },
  { title: 'only attributes', raw: '; Secure; HttpOnly', expect: { ignoredEntirely: true } },
  { title: '"=; Secure"', raw: '=; Secure', expect: { ignoredEntirely: true } },
  {
    title: 'only control characters',
    raw: '\x01\x02',
    expect: { ignoredEntirely: true, rejectedBy: ['DisallowedCharacter'] },
  },
  { title: 'a value is enough to store a cookie', raw: 'x', expect: { ignoredEntirely: false } },
]);

describe('request URL handling', () => {
  test('an unusable request URL skips origin checks and says so', () => {
    const r = parseSetCookie('a=1; Secure; Domain=example.com', 'not a url', NOW);
    assert.deepEqual(r.rejectedBy, []);
    assert.equal(r.requestHost, undefined);
    assert.ok(r.issues.some((i) => /request URL/.test(i.message)));
  });
  test('messages never carry raw control characters', () => {
    const r = parseSetCookie('a=1; \x1b[31mEvil=\x1b[0m; Expires=\x1b]0;x\x07', HTTPS, NOW);
    const hasCtl = (m: string): boolean =>
      [...m].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
    for (const i of r.issues) assert.equal(hasCtl(i.message), false, i.message);
  });
  test('issue lists stay short for headers with thousands of bogus attributes', () => {
    const r = parseSetCookie('a=1' + '; bogus=1'.repeat(10000), HTTPS, NOW);
    assert.ok(r.issues.length <= 10, `got ${r.issues.length}`);
    assert.ok(r.issues.some((i) => /9995 more/.test(i.message)));
  });
  test('non-string input does not throw', () => {
    const r = parseSetCookie(undefined as unknown as string, undefined as unknown as string);
    assert.equal(r.ignoredEntirely, true);
  });
});

describe('cookie-date (RFC 6265bis §5.1.1)', () => {
  const valid: [string, string][] = [
    ['Wed, 09 Jun 2021 10:18:14 GMT', '2021-06-09T10:18:14.000Z'],
    ['Sun, 06 Nov 1994 08:49:37 GMT', '1994-11-06T08:49:37.000Z'],
    ['Sunday, 06-Nov-94 08:49:37 GMT', '1994-11-06T08:49:37.000Z'], // RFC 850
    ['Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37.000Z'], // asctime
    ['Thu, 01 Jan 1970 00:00:00 GMT', '1970-01-01T00:00:00.000Z'],
    ['Wed, 09 Jun 21 10:18:14 GMT', '2021-06-09T10:18:14.000Z'],
    ['01 Jan 69 00:00:00', '2069-01-01T00:00:00.000Z'],
    ['01 Jan 70 00:00:00', '1970-01-01T00:00:00.000Z'],
    ['9 jun 2021 1:2:3', '2021-06-09T01:02:03.000Z'],
    ['2021 10:18:14 JUNE 09', '2021-06-09T10:18:14.000Z'], // any order
    ['Wed, 09 Jun 2021 10:18:14 GMT+99 garbage', '2021-06-09T10:18:14.000Z'],
    ['29 Feb 2024 00:00:00', '2024-02-29T00:00:00.000Z'],
    ['01 Jan 1601 00:00:00', '1601-01-01T00:00:00.000Z'],
  ];
  const invalid = [
    '',
    'tomorrow',
    '2021-01-01T00:00:00Z', // ISO 8601: Date.parse accepts it, browsers do not
    '01 Jan 2021', // no time
    '31 Feb 2021 00:00:00', // no such date
    '29 Feb 2023 00:00:00',
    '32 Jan 2021 00:00:00',
    '00 Jan 2021 00:00:00',
    '01 Jan 1600 00:00:00',
    '01 Jan 2021 24:00:00',
    '01 Jan 2021 23:60:00',
    '01 Jan 2021 23:59:60',
    '01 Jan 12345 00:00:00', // year of 5 digits does not match
    '001 Jan 2021 00:00:00', // 001 is no day-of-month; it matches year (2001), so no day is found
  ];
  for (const [input, iso] of valid) {
    test(`valid: ${input}`, () => assert.equal(parseCookieDate(input)?.toISOString(), iso));
  }
  for (const input of invalid) {
    test(`invalid: ${JSON.stringify(input)}`, () => assert.equal(parseCookieDate(input), null));
  }
});

describe('helpers', () => {
  test('defaultPathOf', () => {
    assert.equal(defaultPathOf(''), '/');
    assert.equal(defaultPathOf('x'), '/');
    assert.equal(defaultPathOf('/'), '/');
    assert.equal(defaultPathOf('/a'), '/');
    assert.equal(defaultPathOf('/a/'), '/a');
    assert.equal(defaultPathOf('/a/b'), '/a');
  });
  test('isPublicSuffix', () => {
    for (const d of ['com', 'co.uk', 'github.io', 'test', 'example'])
      assert.equal(isPublicSuffix(d), true, d);
    for (const d of ['example.com', 'example.co.uk', 'user.github.io', 'app.test', 'localhost']) {
      assert.equal(isPublicSuffix(d), false, d);
    }
  });
  test('octetLength', () => {
    assert.equal(octetLength('abc'), 3);
    assert.equal(octetLength('\xe9'), 1);
    assert.equal(octetLength('€'), 3);
    assert.equal(octetLength('\xe9€'), 5);
  });
});
