/**
 * The chain's cookie store gives tough-cookie's CookieJar the same answers as tough-cookie's own
 * MemoryCookieStore: same cookies kept, same Cookie header for every URL, after any sequence of
 * Set-Cookie headers from any URLs (hosts with parent domains, public suffixes, IP addresses,
 * localhost names; paths; Secure; Max-Age deletions; replacements).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CookieJar, MemoryCookieStore } from 'tough-cookie';
import { ChainCookieStore } from '../../src/collect/live/chain-store.js';
import { ChainJar } from '../../src/collect/live/chain.js';
import { parseSetCookie } from '../../src/cookies/setcookie.js';

const HOSTS = [
  'example.com',
  'www.example.com',
  'a.b.example.com',
  'example.co.uk',
  'shop.example.co.uk',
  'user.github.io',
  '127.0.0.1',
  '[::1]',
  'localhost',
  'app.localhost',
  'site.test',
];
const DOMAINS = [
  'example.com',
  '.example.com',
  'b.example.com',
  'co.uk',
  'example.co.uk',
  'github.io',
  'localhost',
  '127.0.0.1',
  'test',
  'other.org',
];
const PATHS = ['/', '/a', '/a/', '/a/b', '/a/b/c', '/b', '/ab'];

const url = fc
  .tuple(fc.constantFrom('https', 'http'), fc.constantFrom(...HOSTS), fc.constantFrom(...PATHS))
  .map(([scheme, host, path]) => new URL(`${scheme}://${host}${path}`));

const setCookie = fc
  .record({
    name: fc.constantFrom('sid', 'a', 'b', '__Host-x', '__Secure-y'),
    value: fc.constantFrom('1', '2', 'v'),
    domain: fc.option(fc.constantFrom(...DOMAINS), { nil: undefined }),
    path: fc.option(fc.constantFrom(...PATHS, 'rel'), { nil: undefined }),
    secure: fc.boolean(),
    httpOnly: fc.boolean(),
    maxAge: fc.option(fc.constantFrom(-1, 0, 60), { nil: undefined }),
  })
  .map((c) =>
    [
      `${c.name}=${c.value}`,
      c.domain !== undefined ? `Domain=${c.domain}` : '',
      c.path !== undefined ? `Path=${c.path}` : '',
      c.secure ? 'Secure' : '',
      c.httpOnly ? 'HttpOnly' : '',
      c.maxAge !== undefined ? `Max-Age=${c.maxAge}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  );

const OPTIONS = { allowSecureOnLocal: false, rejectPublicSuffixes: false };

describe('ChainCookieStore', () => {
  test('a CookieJar on it answers as one on MemoryCookieStore', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(setCookie, url), { maxLength: 8 }),
        fc.array(url, { minLength: 1, maxLength: 6 }),
        (sets, gets) => {
          const mine = new CookieJar(new ChainCookieStore(), OPTIONS);
          const theirs = new CookieJar(new MemoryCookieStore(), OPTIONS);
          for (const [raw, from] of sets) {
            const a = mine.setCookieSync(raw, from, { ignoreError: true });
            const b = theirs.setCookieSync(raw, from, { ignoreError: true });
            assert.equal(a?.cookieString(), b?.cookieString(), `set ${raw} from ${from.href}`);
          }
          for (const to of gets) {
            assert.equal(
              mine.getCookieStringSync(to),
              theirs.getCookieStringSync(to),
              `cookies for ${to.href}`,
            );
          }
          const all = (jar: CookieJar) =>
            jar
              .serializeSync()!
              .cookies.map((c) => `${c.key}=${c.value};${c.domain};${c.path};${c.hostOnly}`);
          assert.deepEqual(all(mine), all(theirs));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('the async API works too', async () => {
    const jar = new CookieJar(new ChainCookieStore(), OPTIONS);
    await jar.setCookie('a=1; Path=/', 'https://example.com/x');
    await jar.setCookie('b=2; Domain=example.com; Path=/a', 'https://www.example.com/a/b');
    // a=1 is host-only for example.com; b=2 goes to every host of example.com under /a.
    assert.equal(await jar.getCookieString('https://www.example.com/a/c'), 'b=2');
    assert.equal(await jar.getCookieString('https://example.com/'), 'a=1');
    await jar.removeAllCookies();
    assert.equal(await jar.getCookieString('https://example.com/'), '');
  });
});

describe('ChainJar (the parser decides what is stored, tough-cookie what is sent)', () => {
  test('sends what a tough-cookie jar given the same headers sends, for every cookie both keep', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(setCookie, url), { maxLength: 8 }),
        fc.array(url, { minLength: 1, maxLength: 6 }),
        (sets, gets) => {
          const mine = new ChainJar();
          const theirs = new CookieJar(new MemoryCookieStore(), OPTIONS);
          const now = Date.now();
          for (const [raw, from] of sets) {
            // Only headers the storage model keeps (RFC 6265bis; the chain adds no others) and
            // tough-cookie accepts: where they agree to store, they must agree on what is sent.
            const parsed = parseSetCookie(raw, from);
            if (parsed.rejectedBy.length > 0) continue;
            if (!theirs.setCookieSync(raw, from, { ignoreError: true, now: new Date(now) })) continue;
            mine.add(parsed, now);
          }
          for (const to of gets) {
            const sent = mine
              .cookiesFor(to)
              .map((c) => c.pair)
              .join('; ');
            assert.equal(sent, theirs.getCookieStringSync(to), `cookies for ${to.href}`);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('a later header replaces a cookie and keeps its place; a deletion removes it', () => {
    const sent = (j: ChainJar, to: string) =>
      j
        .cookiesFor(new URL(to))
        .map((c) => c.pair)
        .join('; ');
    const jar = new ChainJar();
    const from = new URL('https://example.com/a/b');
    jar.add(parseSetCookie('a=1; Path=/', from), Date.now());
    jar.add(parseSetCookie('b=2; Path=/', from), Date.now());
    jar.add(parseSetCookie('a=3; Path=/', from), Date.now());
    assert.equal(sent(jar, 'https://example.com/'), 'a=3; b=2');
    jar.add(parseSetCookie('b=; Max-Age=0; Path=/', from), Date.now());
    assert.equal(sent(jar, 'https://example.com/'), 'a=3');
    // A header the storage model rejects is not added (SameSite=None without Secure).
    jar.add(parseSetCookie('c=1; SameSite=None', from), Date.now());
    assert.equal(sent(jar, 'https://example.com/'), 'a=3');
  });
});
