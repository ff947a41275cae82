/**
 * collectCrawl's bounds against loopback servers: the page-size cap, --timeout on a page that
 * never answers, --concurrency, an http:// URL given; and the config keys of --crawl.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { collectCrawl } from '../../src/collect/crawl/index.js';
import { resolveCheck } from '../../src/cli/check.js';
import { LOOPBACK_NAMES, makeTestCa, type TestCa } from '../helpers/tls.js';
import { startTestSite, type TestSite } from '../helpers/servers.js';

let ca: TestCa;
let site: TestSite;
let inFlight = 0;
let peak = 0;
const html = (body: string) => ({ headers: { 'content-type': 'text/html' }, body });

before(async () => {
  ca = await makeTestCa('cookieguard crawl bounds CA');
  const big = `<a href="/early">early</a>${'<p>filler</p>'.repeat(20_000)}<a href="/late">late</a>`;
  const fan = Array.from({ length: 12 }, (_, i) => `<a href="/slow/${i}">${i}</a>`).join('');
  site = await startTestSite({
    cert: await ca.issue(LOOPBACK_NAMES),
    https: {
      '/big': html(big),
      '/early': html('early'),
      '/late': html('late'),
      '/hang': html('<a href="/never">x</a><a href="/ok">ok</a>'),
      '/never': { ...html('too late'), delayMs: 20_000 },
      '/ok': html('ok'),
      '/fan': html(fan),
      '/wide': html(Array.from({ length: 60 }, (_, i) => `<a href="/w/${i}">${i}</a>`).join('')),
      '*': (req) => {
        if (req.path.startsWith('/w/')) return html('wide');
        if (!req.path.startsWith('/slow/')) return undefined;
        inFlight++;
        peak = Math.max(peak, inFlight);
        setTimeout(() => inFlight--, 60).unref();
        return { ...html('slow'), delayMs: 60 };
      },
    },
    http: {
      '/plain': html('<a href="/plain/next">next</a> <a href="{https}/secure">secure</a>'),
      '/plain/next': html('next'),
      '*': { status: 301, headers: { location: '{https}{path}' } },
    },
  });
});
after(async () => {
  await site?.close();
  ca?.cleanup();
});

const base = () => ({ ca: [ca.caFile], http: site.httpOrigin, https: site.httpsOrigin });
const httpsPaths = (from: number) =>
  site.requests
    .slice(from)
    .filter((r) => r.scheme === 'https')
    .map((r) => r.path);

test('the page-size cap: links past it are not read, and the report says so', async () => {
  const from = site.requests.length;
  const r = await collectCrawl([`${site.httpsOrigin}/big`], { ...base(), maxPageBytes: 64 * 1024 });
  const paths = httpsPaths(from);
  assert.ok(paths.includes('/early'));
  assert.ok(!paths.includes('/late'));
  assert.ok(
    r.errors.some((e) => /larger than 65536 bytes/.test(e.message)),
    JSON.stringify(r.errors),
  );
});

test('--timeout bounds a page that never answers; the other pages are still checked', async () => {
  const t0 = Date.now();
  const r = await collectCrawl([`${site.httpsOrigin}/hang`], { ...base(), timeoutMs: 800 });
  assert.ok(Date.now() - t0 < 15_000, 'the crawl waited for the hanging page');
  assert.ok(r.errors.some((e) => /\/never/.test(`${e.url} ${e.message}`) && /800 ms/.test(e.message)));
  assert.ok(r.observations.some((o) => o.kind === 'page' && o.url.endsWith('/ok')));
});

test('--concurrency bounds the pages loaded at once', async () => {
  peak = 0;
  await collectCrawl([`${site.httpsOrigin}/fan`], { ...base(), concurrency: 3 });
  assert.ok(peak >= 2 && peak <= 3, `peak ${peak}`);
});

test('--concurrency bounds the connections to each origin: a connection is reused, not one more opened', async () => {
  const before = site.connections();
  const r = await collectCrawl([`${site.httpsOrigin}/wide`], { ...base(), concurrency: 3, maxPages: 100 });
  assert.equal(r.pages.length, 61);
  const now = site.connections();
  assert.ok(now.https - before.https <= 3, `${now.https - before.https} HTTPS connections`);
  assert.ok(now.http - before.http <= 3, `${now.http - before.http} plain-HTTP connections`);
});

test('an http:// URL given: its pages are crawled over HTTP, its https:// links stand for them', async () => {
  const from = site.requests.length;
  const r = await collectCrawl([`${site.httpOrigin}/plain`], base());
  const plain = site.requests
    .slice(from)
    .filter((q) => q.scheme === 'http')
    .map((q) => q.path);
  assert.ok(plain.includes('/plain/next'), plain.join(' '));
  assert.ok(plain.includes('/secure'), 'the https:// link was checked as the page of the http:// origin');
  assert.ok(r.observations.some((o) => o.kind === 'page' && o.url === `${site.httpOrigin}/plain`));
});

test('config keys crawl, maxPages, maxDepth; flags override them', () => {
  const r = resolveCheck(['https://example.test/'], {}, { crawl: true, maxPages: 7, maxDepth: 0 });
  assert.deepEqual(r.crawl, { maxPages: 7, maxDepth: 0 });
  const f = resolveCheck(['https://example.test/'], { maxDepth: '2' }, { crawl: true, maxPages: 7 });
  assert.deepEqual(f.crawl, { maxPages: 7, maxDepth: 2 });
  assert.equal(resolveCheck(['https://example.test/'], {}, { maxPages: 7 }).crawl, undefined);
});
