/**
 * originOf (the crawl's repeat keys): the origin the URL parser gives, whether the string is read by
 * the parser or, for a URL as the parser writes it, taken from its text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { originOf } from '../../src/collect/crawl/dedupe.js';

test('originOf: the URL parser origin for every kind of URL, the text itself for a non-URL', () => {
  const urls = [
    'https://site.test/p/1',
    'http://site.test/',
    'https://sub.site-x.test/a?b=c#d',
    'https://127.0.0.1/x',
    'https://site.test:8443/x',
    'https://site.test:443/x',
    'HTTPS://SITE.TEST/x',
    'https://user:pw@site.test/x',
    'https://[::1]:8443/x',
    'https://xn--caf-dma.test/x',
    'https://café.test/x',
    'https://site.test',
    'http://site.test?x',
  ];
  for (const u of urls) assert.equal(originOf(u), new URL(u).origin, u);
  assert.equal(originOf('not a url'), 'not a url');
});
