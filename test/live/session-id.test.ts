/** Session identifiers in URLs: URLs that must and must not yield one, side by side. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  findSessionIdsInUrl,
  mayCarrySessionId,
  parseSessionIdsInUrl,
  redactValues,
} from '../../src/collect/live/session-id.js';

const found: [url: string, expected: [parameter: string, value: string, form: string][]][] = [
  ['https://a.test/?PHPSESSID=abc', [['PHPSESSID', 'abc', 'query']]],
  ['https://a.test/x?a=1&phpsessid=abc&b=2', [['phpsessid', 'abc', 'query']]],
  ['https://a.test/shop;jsessionid=1A2B3C?x=1', [['jsessionid', '1A2B3C', 'path-parameter']]],
  ['https://a.test/shop;JSESSIONID=1A2B3C/next', [['JSESSIONID', '1A2B3C', 'path-parameter']]],
  ['https://a.test/shop?jsessionid=Q', [['jsessionid', 'Q', 'query']]],
  ['https://a.test/?sid=42', [['sid', '42', 'query']]],
  [
    'https://a.test/?sessionid=42&session_id=43',
    [
      ['sessionid', '42', 'query'],
      ['session_id', '43', 'query'],
    ],
  ],
  ['https://a.test/?ASPSESSIONIDQQGGQGPD=XYZ', [['ASPSESSIONIDQQGGQGPD', 'XYZ', 'query']]],
  ['https://a.test/?ASP.NET_SessionId=xyz', [['ASP.NET_SessionId', 'xyz', 'query']]],
  [
    'https://a.test/?CFID=1&CFTOKEN=2',
    [
      ['CFID', '1', 'query'],
      ['CFTOKEN', '2', 'query'],
    ],
  ],
  [
    'https://a.test/(S(lit3py55t21z5v55vlm25s55))/default.aspx',
    [['(S(...))', 'lit3py55t21z5v55vlm25s55', 'aspnet-cookieless']],
  ],
  ['https://a.test/app/(A(anon123)S(sess456))/page.aspx', [['(S(...))', 'sess456', 'aspnet-cookieless']]],
  ['https://a.test/(F(ticketABC))/x', [['(F(...))', 'ticketABC', 'aspnet-cookieless']]],
  ['https://a.test/a%3Bb;jsessionid=%41B', [['jsessionid', 'AB', 'path-parameter']]],
];

const none: string[] = [
  'https://a.test/',
  'https://a.test/?PHPSESSID=', // empty value
  'https://a.test/?session=abc', // too generic to call a session id
  'https://a.test/?sidebar=1&considered=2',
  'https://a.test/sid/42', // a path segment, not a parameter
  'https://a.test/;jsessionid', // no value
  'https://a.test/#PHPSESSID=abc', // fragments are never sent
  'https://a.test/(S)/x',
  'https://a.test/(x(abc))/y', // lower-case letter: not the ASP.NET form
  'https://a.test/(A(anon))/y', // anonymous id only: not a session
  'not a url',
];

for (const [url, expected] of found) {
  test(`finds: ${url}`, () => {
    assert.deepEqual(
      findSessionIdsInUrl(url).map((s) => [s.parameter, s.value, s.form]),
      expected,
    );
  });
}
for (const url of none) {
  test(`does not find: ${url}`, () => {
    assert.deepEqual(findSessionIdsInUrl(url), []);
  });
}

test('relative Location values are resolved against the response URL', () => {
  assert.deepEqual(
    findSessionIdsInUrl('/x;jsessionid=A1', 'https://a.test/dir/').map((s) => s.value),
    ['A1'],
  );
});

test('redaction replaces raw and percent-encoded values', () => {
  assert.equal(
    redactValues('/a;jsessionid=S3CR3T?x=S3CR3T', ['S3CR3T']),
    '/a;jsessionid=<redacted>?x=<redacted>',
  );
  assert.equal(redactValues('?sid=a%20b', ['a b']), '?sid=<redacted>');
  assert.equal(redactValues('unchanged', ['']), 'unchanged');
});

test('the cheap pre-test never hides a session id the parser would find', async () => {
  const fc = (await import('fast-check')).default;
  // URLs built from pieces that matter: names in every case, percent-encoding, tabs, path parameters.
  const piece = fc.constantFrom(
    'sid',
    'SID',
    'S%49D',
    'sess',
    'phpsessid',
    'JSESSIONID',
    'cfid',
    'CFTOKEN',
    'zenid',
    'oscsid',
    'ASP.NET_SessionId',
    'ASPSESSIONIDAB',
    's\tid',
    '%73id',
    'x',
    'ref',
    'id',
    'q',
    '=',
    '&',
    ';',
    '/',
    '?',
    '(',
    ')',
    'S(',
    'abc',
    '1',
    '%',
    '#',
  );
  const url = fc.array(piece, { maxLength: 12 }).map((p) => `https://a.test/${p.join('')}`);
  fc.assert(
    fc.property(url, (u) => {
      if (!mayCarrySessionId(u)) assert.deepEqual(parseSessionIdsInUrl(u), [], u);
      assert.deepEqual(findSessionIdsInUrl(u), parseSessionIdsInUrl(u), u);
    }),
    { numRuns: 3000 },
  );
  // Relative to a base that carries one: the base decides.
  assert.equal(findSessionIdsInUrl('next?x=1', 'https://a.test/;jsessionid=Q/a').length, 1);
  assert.deepEqual(findSessionIdsInUrl('https://a.test/?ref=1'), []);
});
