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
