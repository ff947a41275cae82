import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostOf, httpTwinOf } from '../../src/rules/cookie-facts.js';

/** What hostOf must return: the WHATWG URL parser's hostname, lowercased, IPv6 without brackets. */
function viaUrlParser(url: string): string | null {
  if (!url) return null;
  try {
    const h = new URL(url).hostname.toLowerCase();
    return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  } catch {
    return null;
  }
}

test('hostOf agrees with the URL parser on simple and unusual URLs', () => {
  const urls = [
    'https://127.0.0.1:40095/page/0?ref=bench',
    'http://127.0.0.1:43723/page/0?ref=bench',
    'https://example.com',
    'https://example.com/',
    'https://example.com?q',
    'https://example.com#x',
    'https://example.com:443/a',
    'https://example.com:/a',
    'https://example.com:65535/',
    'https://example.com:65536/',
    'https://example.com:00080/',
    'https://example.com:000080/',
    'https://example.com:8a/',
    'https://a.b.c.example.co.uk/x',
    'https://EXAMPLE.com/',
    'HTTPS://example.com/',
    'https://example.com./',
    'https://.example.com/',
    'https://a..b/',
    'https://-a.com/',
    'https://a-.com/',
    'https://a-b.com/',
    'https://a--b.com/',
    'https://xn--nxasmq6b.com/',
    'https://xn--a.com/',
    'https://bücher.example/',
    'https://user:pw@example.com/',
    'https://example.com\\path',
    'https:///example.com/',
    'https:example.com/',
    'https://',
    'http://exa\tmple.com/',
    'http://exa\nmple.com/',
    ' https://example.com/',
    'https://example.com /',
    'https://a%2eb.com/',
    'https://localhost:3000/',
    'https://sub.localhost/',
    'https://1.2.3.4/',
    'https://1.2.3.4.',
    'https://1.2.3.4./',
    'https://1.2.3/',
    'https://1.2.3.4.5/',
    'https://01.2.3.4/',
    'https://0.0.0.0/',
    'https://255.255.255.255/',
    'https://256.1.1.1/',
    'https://0x7f.0.0.1/',
    'https://127.1/',
    'https://2130706433/',
    'https://1.a.3.4/',
    'https://a.1/',
    'https://a.1a/',
    'https://a.0x1/',
    'https://1a.com/',
    'https://[::1]:8443/',
    'https://[2001:DB8::1]/',
    'ftp://example.com/',
    'file:///etc/passwd',
    'not a url',
    `https://${'a'.repeat(63)}.com/`,
    `https://${'a'.repeat(64)}.com/`,
    `https://${Array.from({ length: 60 }, () => 'abcd').join('.')}/`,
  ];
  for (const u of urls) assert.equal(hostOf(u), viaUrlParser(u), u);
  assert.equal(hostOf(''), null);
  assert.equal(hostOf(undefined), null);
  assert.equal(hostOf(null), null);
  assert.equal(httpTwinOf('https://[::1]:8443/x'), 'http://[::1]/');
  assert.equal(httpTwinOf('https://example.com:8443/x'), 'http://example.com/');
});
