import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { overwriteSecureBlocked, shadows, wouldBeSentTo } from '../../src/cookies/jar.js';

const NOW = new Date('2025-01-01T00:00:00Z');

describe('wouldBeSentTo', () => {
  const rows: [raw: string, setAt: string, target: string, sent: boolean, why: string][] = [
    [
      'a=1',
      'https://example.com/',
      'http://example.com/',
      true,
      'no Secure: leaks to plain HTTP of the same host',
    ],
    ['a=1; Secure', 'https://example.com/', 'http://example.com/', false, 'Secure: never over plain HTTP'],
    ['a=1; Secure', 'https://example.com/', 'https://example.com/x', true, 'Secure over HTTPS'],
    ['a=1', 'https://example.com:8443/', 'http://example.com:8080/', true, 'ports are not part of the scope'],
    ['a=1', 'https://www.example.com/', 'https://api.example.com/', false, 'host-only'],
    [
      'a=1; Domain=example.com',
      'https://www.example.com/',
      'https://api.example.com/',
      true,
      'Domain widens to subdomains',
    ],
    [
      'a=1; Domain=example.com',
      'https://www.example.com/',
      'http://example.com/',
      true,
      'and to the parent over HTTP',
    ],
    [
      'a=1; Domain=evil.com',
      'https://www.example.com/',
      'https://evil.com/',
      false,
      'rejected: does not domain-match',
    ],
    [
      'a=1; Domain=co.uk',
      'https://shop.example.co.uk/',
      'https://other.co.uk/',
      false,
      'rejected: public suffix',
    ],
    ['a=1; Path=/admin', 'https://example.com/', 'https://example.com/admin/users', true, 'path-match'],
    [
      'a=1; Path=/admin',
      'https://example.com/',
      'https://example.com/administrator',
      false,
      'not a path-match',
    ],
    ['a=1', 'https://example.com/a/b', 'https://example.com/c', false, 'default path /a'],
    ['a=1; Max-Age=0', 'https://example.com/', 'https://example.com/', false, 'deletion'],
    [
      'a=1; SameSite=None',
      'https://example.com/',
      'https://example.com/',
      false,
      'rejected: SameSite=None without Secure',
    ],
    [
      '__Host-a=1; Secure',
      'https://example.com/',
      'https://example.com/',
      false,
      'rejected: __Host- without Path=/',
    ],
    [
      '__host-a=1; Secure',
      'https://example.com/',
      'https://example.com/',
      false,
      'prefix matched case-insensitively',
    ],
    ['__Host-a=1; Secure; Path=/', 'https://example.com/', 'https://example.com/x', true, 'valid __Host-'],
    [
      `a=${'x'.repeat(4096)}`,
      'https://example.com/',
      'https://example.com/',
      false,
      'rejected: over 4096 octets',
    ],
    ['a=1; Secure', 'http://example.com/', 'https://example.com/', false, 'rejected: Secure from plain HTTP'],
    [
      'a=1; Secure',
      'http://localhost:3000/',
      'http://localhost:3000/',
      true,
      'localhost is a secure context',
    ],
    [
      '=nameless',
      'https://example.com/',
      'https://example.com/',
      true,
      'nameless cookies are stored and sent',
    ],
    ['', 'https://example.com/', 'https://example.com/', false, 'nothing to store'],
    ['a=1', 'not a url', 'https://example.com/', false, 'unusable URL'],
    ['a=1', 'https://example.com/', 'not a url', false, 'unusable target'],
  ];
  for (const [raw, setAt, target, sent, why] of rows) {
    test(`${raw.slice(0, 40)} @ ${setAt} → ${target}: ${sent} (${why})`, () => {
      assert.equal(wouldBeSentTo(raw, setAt, target, { now: NOW }), sent);
    });
  }
  test('Safari behaviour on localhost can be asked for', () => {
    assert.equal(
      wouldBeSentTo('a=1; Secure', 'http://localhost/', 'http://localhost/', { loopbackIsSecure: false }),
      false,
    );
  });
  test('an Expires relative to the given now', () => {
    const raw = 'a=1; Expires=Wed, 01 Jan 2025 01:00:00 GMT';
    assert.equal(wouldBeSentTo(raw, 'https://e.com/', 'https://e.com/', { now: NOW }), true);
    assert.equal(
      wouldBeSentTo(raw, 'https://e.com/', 'https://e.com/', { now: new Date('2025-02-01T00:00:00Z') }),
      false,
    );
  });
});

describe('overwriteSecureBlocked (RFC 6265bis §5.7 step 16)', () => {
  const secure = { raw: 'sid=good; Secure; Path=/', url: 'https://example.com/' };
  const rows: [
    existing: { raw: string; url: string },
    incoming: { raw: string; url: string },
    blocked: boolean,
    why: string,
  ][] = [
    [
      secure,
      { raw: 'sid=evil; Path=/', url: 'http://example.com/' },
      true,
      'same name, domain and path over HTTP',
    ],
    [
      secure,
      { raw: 'sid=evil; Path=/login', url: 'http://example.com/' },
      true,
      'a path inside the Secure one',
    ],
    [
      { raw: 'sid=good; Secure; Path=/login', url: 'https://example.com/' },
      { raw: 'sid=evil; Path=/', url: 'http://example.com/' },
      false,
      'a wider path is allowed by the draft (note in step 16)',
    ],
    [
      secure,
      { raw: 'sid=evil; Path=/', url: 'https://example.com/' },
      false,
      'over HTTPS it overwrites normally',
    ],
    [secure, { raw: 'other=evil; Path=/', url: 'http://example.com/' }, false, 'another name'],
    [
      secure,
      { raw: 'sid=evil; Domain=example.com; Path=/', url: 'http://www.example.com/' },
      true,
      'a parent-domain cookie',
    ],
    [
      secure,
      { raw: 'sid=evil; Path=/', url: 'http://www.example.com/' },
      true,
      'a subdomain host-only cookie (domain-match one way)',
    ],
    [secure, { raw: 'sid=evil; Path=/', url: 'http://other.com/' }, false, 'another site'],
    [
      { raw: 'sid=good; Path=/', url: 'https://example.com/' },
      { raw: 'sid=evil; Path=/', url: 'http://example.com/' },
      false,
      'existing is not Secure',
    ],
    [secure, { raw: 'sid=evil; Path=/', url: 'http://localhost/' }, false, 'different host'],
  ];
  for (const [existing, incoming, blocked, why] of rows) {
    test(why, () => assert.equal(overwriteSecureBlocked(existing, incoming, { now: NOW }), blocked));
  }
});

describe('shadows', () => {
  const secure = { raw: 'sid=good; Secure; Path=/', url: 'https://www.example.com/' };
  const rows: [
    a: { raw: string; url: string },
    b: { raw: string; url: string },
    result: boolean,
    why: string,
  ][] = [
    [
      { raw: 'sid=x; Domain=example.com', url: 'https://example.com/' },
      secure,
      true,
      'parent-domain non-Secure cookie reaches www',
    ],
    [
      { raw: 'sid=x; Path=/app', url: 'https://www.example.com/' },
      secure,
      true,
      'same host, a narrower path',
    ],
    [{ raw: 'sid=x', url: 'https://api.example.com/' }, secure, false, 'host-only on a sibling host'],
    [{ raw: 'sid=x', url: 'https://example.com/' }, secure, false, 'host-only on the parent host'],
    [{ raw: 'other=x; Domain=example.com', url: 'https://example.com/' }, secure, false, 'another name'],
    [
      { raw: 'sid=x; Secure; Domain=example.com', url: 'https://example.com/' },
      secure,
      false,
      'a is Secure too',
    ],
    [{ raw: 'sid=x; Domain=co.uk', url: 'https://example.co.uk/' }, secure, false, 'a would be rejected'],
  ];
  for (const [a, b, result, why] of rows) {
    test(why, () => assert.equal(shadows(a, b, { now: NOW }), result));
  }
});
