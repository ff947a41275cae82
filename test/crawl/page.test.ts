/**
 * pageFacts: the URLs a page leads to (its links, then the pages its forms submit to, each once) and
 * its insecure forms, with few forms (searched in the link list) and many (a set).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHtml, pageFacts } from '../../src/collect/crawl/page.js';
import type { PageObservation } from '../../src/model/observation.js';

const PAGE = 'https://site.test/dir/page';

function facts(html: string): { links: string[]; page: PageObservation } {
  const f = pageFacts(html, PAGE, 'crawl');
  return { links: f.links, page: f.observations.find((o) => o.kind === 'page') as PageObservation };
}

test('pageFacts: form actions follow the links, each URL once (few forms)', () => {
  const { links, page } = facts(
    '<a href="/a">a</a><a href="/b#x">b</a>' +
      '<form action="/a"></form><form action="/c"><input type=password name=pw></form>' +
      '<form action="http://site.test/login" method=POST><input type=password name=pw></form>',
  );
  assert.deepEqual(links, [
    'https://site.test/a',
    'https://site.test/b',
    'https://site.test/c',
    'http://site.test/login',
  ]);
  assert.deepEqual(page.insecureForms, [
    { action: 'http://site.test/login', method: 'post', hasPassword: true },
  ]);
});

test('pageFacts: form actions follow the links, each URL once (many forms)', () => {
  const forms = Array.from({ length: 12 }, (_, i) => `<form action="/f${i % 5}"></form>`).join('');
  const { links } = facts(`<a href="/f1">one</a><a href="/z">z</a>${forms}<form action="/z"></form>`);
  assert.deepEqual(links, [
    'https://site.test/f1',
    'https://site.test/z',
    'https://site.test/f0',
    'https://site.test/f2',
    'https://site.test/f3',
    'https://site.test/f4',
  ]);
});

test('decodeHtml: the Content-Type charset, UTF-8 otherwise; one page does not leak into the next', () => {
  assert.equal(decodeHtml(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'text/html; charset=ISO-8859-1'), 'café');
  assert.equal(decodeHtml(Buffer.from('café'), 'text/html; charset="utf-8"'), 'café');
  assert.equal(decodeHtml(Buffer.from('café'), 'text/html; charset=no-such-label'), 'café');
  assert.equal(decodeHtml(Buffer.from('café'), 'text/html'), 'café');
  // A page cut inside a character, then the next page with the same charset.
  const cut = Buffer.from('ab€').subarray(0, 4);
  assert.equal(decodeHtml(cut, 'text/html; charset=utf-8'), 'ab\ufffd');
  assert.equal(decodeHtml(Buffer.from('xy'), 'text/html; charset=utf-8'), 'xy');
  // A byte order mark is dropped on every page, not only the first.
  const bom = Buffer.from([0xef, 0xbb, 0xbf, 0x61]);
  assert.equal(decodeHtml(bom, 'text/html; charset=utf-8'), 'a');
  assert.equal(decodeHtml(bom, 'text/html; charset=utf-8'), 'a');
});
