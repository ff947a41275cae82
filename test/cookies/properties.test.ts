/**
 * Property-based tests: parseSetCookie and cookieObservationFromHeader never throw, keep their
 * invariants on arbitrary input (full Unicode, control characters, lone surrogates), and return on
 * 1 MB pathological inputs (the parsers are linear: one pass to split, one pass per segment).
 * No wall-clock assertions: the test runner's timeout is the only bound.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_LIFETIME_SECONDS,
  octetLength,
  parseCookieDate,
  parseSetCookie,
  type ParsedSetCookie,
} from '../../src/cookies/setcookie.js';
import { cookieObservationFromHeader } from '../../src/cookies/observe.js';
import { classifyCookie } from '../../src/cookies/classify.js';
import { wouldBeSentTo } from '../../src/cookies/jar.js';
import type { LiveDelivery } from '../../src/model/observation.js';

const NOW = new Date('2025-01-01T00:00:00Z');

const URLS = [
  'https://site.example/',
  'https://www.example.co.uk/a/b/c',
  'http://localhost:3000/',
  'http://127.0.0.1/x',
  'http://[::1]/',
  'https://github.io/',
  'not a url',
  '',
];

/** Pieces that steer random strings into the parser's interesting paths. */
const PIECES = [
  ';',
  '=',
  ' ',
  '\t',
  '"',
  ',',
  'a',
  'Z',
  '0',
  '9',
  '-',
  '.',
  '/',
  ':',
  '\x00',
  '\x01',
  '\x1f',
  '\x7f',
  '\x80',
  '\xe9',
  '\xff',
  '€',
  '\ud800',
  '\udfff',
  '😀',
  'Secure',
  'HttpOnly',
  'SameSite',
  'None',
  'Lax',
  'strict',
  'Domain',
  'Path',
  'Max-Age',
  'Expires',
  'Partitioned',
  '__Host-',
  '__secure-',
  '.example',
  'co.uk',
  'Jan',
  '1994',
  '08:49:37',
  'GMT',
  '-1',
];

const cookieish = fc.string({ unit: fc.constantFrom(...PIECES), maxLength: 60 });
/** Whole attributes, valid and not, that decide what the storage model does. */
const ATTRIBUTES = [
  'Secure',
  'HttpOnly',
  'Path=/',
  'Path=',
  'Path=rel',
  'Path=/a',
  'Domain=site.example',
  'Domain=.EXAMPLE.co.uk',
  'Domain=co.uk',
  'Domain=127.0.0.1',
  'Domain=localhost',
  'Domain=other.org',
  'Max-Age=0',
  'Max-Age=60',
  'Max-Age=99999999999',
  'Max-Age=x',
  'Expires=Wed, 21 Oct 2035 07:28:00 GMT',
  'Expires=Wed, 21 Oct 2015 07:28:00 GMT',
  'Expires=never',
  'SameSite=None',
  'SameSite=lax',
  'SameSite=other',
  'Partitioned',
  'Priority=High',
  'Unknown=1',
  'Secure=false',
];
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }), // full Unicode incl. lone surrogates
  fc.string({ unit: 'binary-ascii', maxLength: 300 }), // ASCII incl. control characters
  cookieish,
);
const url = fc.oneof(fc.constantFrom(...URLS), fc.webUrl(), fc.string({ maxLength: 30 }));

const FORBIDDEN_CTL = (c: number): boolean => c <= 0x08 || (c >= 0x0a && c <= 0x1f) || c === 0x7f;
const MAX_ISSUES = 11 * 6; // 11 issue codes, at most 5 each plus one summary line

function checkInvariants(raw: string, r: ParsedSetCookie): void {
  assert.equal(typeof r.name, 'string');
  assert.equal(typeof r.value, 'string');
  assert.equal(r.size, octetLength(r.name) + octetLength(r.value));
  for (const s of [r.name, r.value]) {
    if (s.length > 0) {
      assert.ok(s[0] !== ' ' && s[0] !== '\t' && s.at(-1) !== ' ' && s.at(-1) !== '\t', 'trimmed');
    }
  }
  assert.equal(new Set(r.rejectedBy).size, r.rejectedBy.length, 'no duplicate rejection');
  let ctl = false;
  for (let i = 0; i < raw.length && !ctl; i++) ctl = FORBIDDEN_CTL(raw.charCodeAt(i));
  if (ctl) assert.ok(r.rejectedBy.includes('DisallowedCharacter'));
  if (r.ignoredEntirely) assert.equal(r.name, '');
  if (r.size > 4096) assert.ok(r.rejectedBy.includes('NameValuePairExceedsMaxSize'));
  if (r.lifetime.kind === 'persistent') {
    assert.ok(r.lifetime.seconds >= 0 && r.lifetime.seconds <= MAX_LIFETIME_SECONDS);
  }
  if (r.deletion) assert.deepEqual(r.lifetime, { kind: 'persistent', seconds: 0 });
  if (r.attributes.sameSite === 'none' && !r.attributes.secure)
    assert.ok(r.rejectedBy.includes('SameSiteNoneInsecure'));
  if (r.prefix !== null) assert.ok(r.name.toLowerCase().startsWith(r.prefix.toLowerCase()));
  assert.ok(r.issues.length <= MAX_ISSUES, `${r.issues.length} issues`);
  assert.ok(r.effectivePath.startsWith('/'));
}

function delivery(u: string): LiveDelivery {
  return { url: u, scheme: 'https', status: 200, hop: 0, requestedUrl: u, redirect: false, probe: 'https' };
}

describe('parseSetCookie on arbitrary input', () => {
  test('never throws and keeps its invariants', () => {
    fc.assert(
      fc.property(anyText, url, (raw, u) => {
        const r = parseSetCookie(raw, u, NOW);
        checkInvariants(raw, r);
      }),
      { numRuns: 3000 },
    );
  });

  test('is deterministic', () => {
    fc.assert(
      fc.property(cookieish, fc.constantFrom(...URLS), (raw, u) => {
        assert.deepEqual(parseSetCookie(raw, u, NOW), parseSetCookie(raw, u, NOW));
      }),
      { numRuns: 500 },
    );
  });

  test('the attribute memo changes nothing: every header as if parsed afresh, whatever came before', () => {
    // The memo is keyed by the attribute text, per host and scheme; names, values, the time and the
    // request path (default path, __Host- checks) are decided per header. Each case first parses
    // the same attribute text under other names, values, paths, schemes and hosts.
    const attrText = fc.array(fc.oneof(cookieish, fc.constantFrom(...ATTRIBUTES)), { maxLength: 8 });
    const name = fc.constantFrom('sid', '__Host-sid', '__Secure-sid', '__HOST-x', '', 'a b', 'é');
    const paths = fc.constantFrom('/', '/a', '/a/b/', '/x/y/z');
    const hosts = fc.constantFrom('site.example', 'www.example.co.uk', '127.0.0.1', 'localhost', '[::1]');
    fc.assert(
      fc.property(
        name,
        cookieish,
        attrText,
        hosts,
        paths,
        fc.boolean(),
        fc.array(fc.tuple(name, cookieish, hosts, paths, fc.boolean()), { maxLength: 4 }),
        (n, v, attrs, host, path, secure, before) => {
          const tail = attrs.map((a) => `; ${a}`).join('');
          const at = (h: string, p: string, sec: boolean) => `${sec ? 'https' : 'http'}://${h}${p}`;
          for (const [bn, bv, bh, bp, bs] of before)
            parseSetCookie(`${bn}=${bv}${tail}`, at(bh, bp, bs), NOW);
          const raw = `${n}=${v}${tail}`;
          const u = at(host, path, secure);
          const fresh = parseSetCookie(raw, u, NOW, { memo: false });
          assert.deepEqual(parseSetCookie(raw, u, NOW), fresh);
          assert.deepEqual(parseSetCookie(raw, new URL(u), NOW), fresh);
          // What results share cannot be changed; the rest is their own.
          const a = parseSetCookie(raw, u, NOW);
          const b = parseSetCookie(raw, u, NOW);
          for (const k of ['attributes', 'evidence', 'lifetime', 'issues', 'rejectedBy'] as const)
            assert.ok(Object.isFrozen(a[k]) || a[k] !== b[k], k);
          assert.ok(Object.isFrozen(a.attributes) && Object.isFrozen(a.lifetime));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('long strings (50-100 KB) keep the invariants', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...PIECES), minLength: 5_000, maxLength: 12_000 }),
        fc.constantFrom(...URLS),
        (raw, u) => checkInvariants(raw, parseSetCookie(raw, u, NOW)),
      ),
      { numRuns: 20 },
    );
  });

  test('a well-formed cookie round-trips', () => {
    const tokenChar = fc.constantFrom(
      ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~",
    );
    const octet = fc.constantFrom(..."abcXYZ0189!#$%&'()*+-./:<>?@[]^_`{|}~");
    fc.assert(
      fc.property(
        fc.string({ unit: tokenChar, minLength: 1, maxLength: 40 }),
        fc.string({ unit: octet, maxLength: 200 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('Strict', 'Lax', 'None', undefined),
        fc.option(fc.integer({ min: 1, max: MAX_LIFETIME_SECONDS }), { nil: undefined }),
        (name, value, secure, httpOnly, sameSite, maxAge) => {
          let raw = `${name}=${value}; Path=/`;
          if (secure) raw += '; Secure';
          if (httpOnly) raw += '; HttpOnly';
          if (sameSite) raw += `; SameSite=${sameSite}`;
          if (maxAge !== undefined) raw += `; Max-Age=${maxAge}`;
          const r = parseSetCookie(raw, 'https://site.example/', NOW);
          assert.equal(r.name, name);
          assert.equal(r.value, value);
          assert.equal(r.attributes.secure, secure);
          assert.equal(r.attributes.httpOnly, httpOnly);
          assert.equal(r.attributes.sameSite, sameSite ? sameSite.toLowerCase() : 'unset');
          assert.deepEqual(
            r.lifetime,
            maxAge === undefined ? { kind: 'session' } : { kind: 'persistent', seconds: maxAge },
          );
          const prefixProblem = /^__(secure|host)-/i.test(name) && !secure;
          const sameSiteProblem = sameSite === 'None' && !secure;
          assert.equal(
            r.rejectedBy.length > 0,
            prefixProblem || sameSiteProblem,
            JSON.stringify(r.rejectedBy),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('cookie-date: every IMF-fixdate round-trips', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1601-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
          assert.equal(parseCookieDate(whole.toUTCString())?.getTime(), whole.getTime(), whole.toUTCString());
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('1 MB pathological inputs return', () => {
  const MB = 1 << 20;
  const inputs: [string, string][] = [
    ['semicolons', ';'.repeat(MB)],
    ['equals signs', '='.repeat(MB)],
    ['spaces', ' '.repeat(MB)],
    ['one long name', 'a'.repeat(MB)],
    ['one long value', 'a=' + 'b'.repeat(MB)],
    ['many empty attributes', 'a=b' + '; '.repeat(MB / 2)],
    ['many unknown attributes', 'a=b' + ';x=y'.repeat(MB / 4)],
    ['many Secure attributes', 'a=b' + ';Secure'.repeat(MB / 7)],
    ['many Max-Age attributes', 'a=b' + ';Max-Age=1'.repeat(MB / 10)],
    ['many Expires attributes', 'a=b' + ';Expires=Wed, 09 Jun 2021 10:18:14 GMT'.repeat(MB / 40)],
    ['huge attribute name', 'a=b; ' + 'Domain'.repeat(MB / 6) + '=x'],
    ['huge Domain value', 'a=b; Domain=' + 'a.'.repeat(MB / 2)],
    ['control characters', '\x01'.repeat(MB)],
    ['high code points', '😀'.repeat(MB / 2)],
    ['lone surrogates', '\ud800'.repeat(MB)],
  ];
  for (const [title, raw] of inputs) {
    test(title, () => {
      const r = parseSetCookie(raw, 'https://site.example/', NOW);
      checkInvariants(raw, r);
      const o = cookieObservationFromHeader(raw, delivery('https://site.example/'), { now: NOW });
      assert.ok(o.kind === 'cookie' || o.kind === 'malformed-header');
      classifyCookie(r.name, r.value);
      wouldBeSentTo(raw, 'https://site.example/', 'http://site.example/', { now: NOW });
    });
  }
  test('cookie-date parser on 1 MB of date tokens', () => {
    assert.equal(parseCookieDate('1:1:1 '.repeat(MB / 6)), null);
    assert.equal(parseCookieDate('9'.repeat(MB)), null);
  });
});

describe('cookieObservationFromHeader on arbitrary input', () => {
  test('never throws, returns one of the two kinds, and keeps reports display-safe', () => {
    fc.assert(
      fc.property(anyText, url, (raw, u) => {
        const o = cookieObservationFromHeader(raw, delivery(u), { now: NOW });
        if (o.kind === 'malformed-header') {
          assert.ok(![...o.raw].some((ch) => FORBIDDEN_CTL(ch.charCodeAt(0))), 'display-safe raw');
          assert.ok(o.problem.length > 0);
        } else {
          assert.equal(o.kind, 'cookie');
          assert.equal(o.secure.provenance.kind, 'observed');
          assert.equal(o.raw, raw);
          assert.ok(o.classification.reason.length > 0);
        }
      }),
      { numRuns: 2000 },
    );
  });
  test('classifyCookie never throws', () => {
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: undefined }), (name, value) => {
        const c = classifyCookie(name, value);
        assert.ok(
          ['session', 'csrf', 'preference', 'analytics', 'infrastructure', 'unknown'].includes(c.category),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
