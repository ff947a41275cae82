import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  isWhiteSpace,
  redactCookieHeader,
  redactKnownValues,
  redactSessionIdInUrl,
  redactSetCookie,
  redactSetCookieValue,
  setCookieNameColon,
} from '../../src/cookies/redact.js';

const cases: [string, string][] = [
  ['sid=abc123; Path=/; Secure', 'sid=<redacted>; Path=/; Secure'],
  ['Set-Cookie: sid=abc123; HttpOnly', 'Set-Cookie: sid=<redacted>; HttpOnly'],
  ['set-cookie:sid=abc', 'set-cookie:sid=<redacted>'],
  ['sid=; Max-Age=0', 'sid=; Max-Age=0'],
  ['sid="quoted=value"; Path=/', 'sid=<redacted>; Path=/'],
  ['tokenwithoutequals; Secure', '<redacted>; Secure'],
  ['a=1\nb=2; Secure', 'a=<redacted>\nb=<redacted>; Secure'],
  ['a=1\r\nSet-Cookie: b=2', 'a=<redacted>\r\nSet-Cookie: b=<redacted>'],
  ['', ''],
];

for (const [input, expected] of cases) {
  test(`redactSetCookie(${JSON.stringify(input)})`, () => {
    assert.equal(redactSetCookie(input), expected);
  });
}

test('redactSetCookie never leaves the value in the output (property)', () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^[A-Za-z_]{1,12}$/),
      fc.stringMatching(/^[0-9]{6,40}$/),
      fc.constantFrom('', '; Path=/', '; Secure; HttpOnly', '; Domain=a.test; SameSite=Lax'),
      (name, value, attrs) => {
        const out = redactSetCookie(`${name}=${value}${attrs}`);
        assert.ok(!out.includes(value), out);
        assert.equal(out, `${name}=<redacted>${attrs}`);
      },
    ),
    { numRuns: 200, seed: 7 },
  );
});

test('redactSetCookieValue is redactSetCookie of the value behind a Set-Cookie name (property)', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-c =;:\t\n\u00a0SetCoki-]{0,30}$/), (value) => {
      assert.equal(redactSetCookieValue(value), redactSetCookie(`Set-Cookie: ${value}`));
    }),
    { numRuns: 2000, seed: 11 },
  );
  assert.equal(redactSetCookieValue('  \tsid=abc; Path=/'), 'Set-Cookie:   \tsid=<redacted>; Path=/');
  assert.equal(redactSetCookieValue(' abc; Path=/'), 'Set-Cookie:  <redacted>; Path=/');
  assert.equal(redactSetCookieValue('sid= ; Path=/'), 'Set-Cookie: sid= ; Path=/');
});

test('redactCookieHeader redacts every value', () => {
  assert.equal(redactCookieHeader('a=1; b=2;c=3'), 'a=<redacted>; b=<redacted>;c=<redacted>');
  assert.equal(redactCookieHeader('lonely; a='), '<redacted>; a=');
});

test('redactSessionIdInUrl: query and path parameters, case-insensitive, and a known value', () => {
  assert.equal(
    redactSessionIdInUrl('https://a.test/x?PHPSESSID=abc&y=1', 'PHPSESSID'),
    'https://a.test/x?PHPSESSID=<redacted>&y=1',
  );
  assert.equal(
    redactSessionIdInUrl('https://a.test/x;JSESSIONID=abc?y=1', 'jsessionid'),
    'https://a.test/x;JSESSIONID=<redacted>?y=1',
  );
  assert.equal(redactSessionIdInUrl('Location: /a?sid=zz#frag', 'sid'), 'Location: /a?sid=<redacted>#frag');
  assert.equal(redactSessionIdInUrl('see abcdef and ?sid=', 'sid', 'abcdef'), 'see <redacted> and ?sid=');
  assert.equal(redactSessionIdInUrl('https://a.test/?xsid=1', 'sid'), 'https://a.test/?xsid=1');
});

test('redactKnownValues skips values too short to be secrets', () => {
  assert.equal(
    redactKnownValues('secure = 1; token = abcd', ['1', 'abcd', undefined]),
    'secure = 1; token = <redacted>',
  );
});

test('isWhiteSpace is the white space of String.prototype.trim and of \\s', () => {
  for (let ch = 0; ch < 0x10000; ch++) {
    const s = String.fromCharCode(ch);
    assert.equal(isWhiteSpace(ch), s.trim() === '', `U+${ch.toString(16)}`);
    assert.equal(isWhiteSpace(ch), /\s/.test(s), `U+${ch.toString(16)}`);
  }
});

test('setCookieNameColon finds the colon after a Set-Cookie name only', () => {
  assert.equal(setCookieNameColon('Set-Cookie: a=1'), 10);
  assert.equal(setCookieNameColon(' \tset-COOKIE \u00a0: a=1'), 14);
  assert.equal(setCookieNameColon('set-coo\u212Aie: a=1'), 10); // KELVIN SIGN lowercases to k
  assert.equal(setCookieNameColon('a=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT'), -1);
  assert.equal(setCookieNameColon('Set-Cookies: a=1'), -1);
  assert.equal(setCookieNameColon('Set-Cookie'), -1);
  assert.equal(setCookieNameColon('x Set-Cookie: a=1'), -1);
});
