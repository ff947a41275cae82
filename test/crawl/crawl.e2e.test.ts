/**
 * `check --crawl` end to end: the real bin against a loopback site (site.ts) with pages at several
 * depths, another origin that must receive nothing, and forms that must never be submitted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { oneErrorLine, runCli } from '../cli/run.js';
import type { JsonReport } from '../cli/sites.js';
import { IMG_SID, SID, startCrawlSite, URL_SID, type CrawlSite } from './site.js';

let s: CrawlSite;
before(async () => {
  s = await startCrawlSite();
});
after(() => s?.close());

const args = (...extra: string[]) => [
  'check',
  `${s.site.httpsOrigin}/`,
  '--crawl',
  '--ca',
  s.ca.caFile,
  '--http',
  s.site.httpOrigin,
  '--format',
  'json',
  ...extra,
];

/** Paths the site received over HTTPS since `from` (index into its request log). */
const httpsPaths = (from: number) =>
  s.site.requests
    .slice(from)
    .filter((r) => r.scheme === 'https')
    .map((r) => r.path);

describe('check --crawl', { concurrency: 1 }, () => {
  test('follows same-origin links breadth-first to --max-depth; judges what the pages show', async () => {
    const from = s.site.requests.length;
    const otherBefore = s.other.requests.length;
    const r = await runCli(args(), { timeoutMs: 60_000 });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    const paths = httpsPaths(from);

    // Depths 0-3 visited, depth 4 not; the redirect followed; the form page loaded with GET.
    for (const p of [
      '/',
      '/a',
      '/a/1',
      '/a/1/2',
      '/b',
      '/b/landing',
      '/frame',
      '/search',
      '/plain',
      '/login',
    ])
      assert.ok(paths.includes(p), `${p} not visited: ${paths.join(' ')}`);
    assert.ok(!paths.includes('/a/1/2/3'), 'a page past --max-depth was requested');
    // Each page once (the session-id link is a different URL of /a, requested once itself).
    const counts = new Map<string, number>();
    for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
    assert.equal(counts.get('/a'), 1, paths.join(' '));
    assert.equal(counts.get('/'), 1, paths.join(' '));
    // Never a logout; never anything but GET; never the other origin.
    assert.ok(!paths.includes('/logout'), 'the logout link was followed');
    const methods = new Set(s.site.requests.slice(from).map((q) => q.method));
    assert.deepEqual([...methods], ['GET'], 'a form was submitted');
    assert.equal(s.other.requests.length, otherBefore, 'the other origin received a request');

    const find = (rule: string, pred: (f: JsonReport['findings'][number]) => boolean = () => true) =>
      report.findings.filter((f) => f.rule === rule && pred(f));
    const mixed = find('mixed-content');
    assert.equal(mixed.length, 1, JSON.stringify(mixed));
    assert.equal(mixed[0]!.severity, 'high');
    assert.equal(mixed[0]!.source, 'crawl');
    assert.match(mixed[0]!.evidence ?? '', /script http:\/\/127\.0\.0\.1:\d+\/evil\.js/);
    const form = find('form-posts-over-http');
    assert.equal(form.length, 1, JSON.stringify(form));
    assert.equal(form[0]!.severity, 'high', 'a login form with a password field');
    assert.equal(form[0]!.url, `${s.site.httpsOrigin}/`);
    assert.ok(find('https-not-enforced', (f) => f.url === `${s.site.httpOrigin}/plain`).length === 1);
    assert.equal(find('https-not-enforced').length, 1, 'only /plain is served over plain HTTP');
    // The cookie set on a page two links down is judged, its value redacted.
    const sid = find('cookie-missing-secure', (f) => f.cookie === 'sid');
    assert.equal(sid.length, 1, 'judged once, not once per page');
    assert.ok(sid[0]!.url?.startsWith(`${s.site.httpsOrigin}/a`));
    const link = find('session-id-in-url', (f) => f.cookie === 'jsessionid');
    assert.ok(link.length >= 1, JSON.stringify(report.findings.map((f) => f.rule)));
    assert.ok(!r.stdout.includes(SID) && !r.stdout.includes(URL_SID), 'a value leaked into the report');
  });

  test('--max-pages bounds the pages per URL given; --max-depth 0 reads the given page only', async () => {
    let from = s.site.requests.length;
    let r = await runCli(args('--max-pages', '3'));
    assert.equal(r.code, 1, r.stderr);
    let pages = new Set(httpsPaths(from));
    // Three pages: / and its first two same-origin links (in document order), redirect hops aside.
    assert.deepEqual([...pages].sort(), ['/', '/a', '/b', '/b/landing'].sort());

    from = s.site.requests.length;
    r = await runCli(args('--max-depth', '0'));
    assert.equal(r.code, 1, r.stderr);
    pages = new Set(httpsPaths(from));
    assert.deepEqual([...pages], ['/']);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.ok(
      report.findings.some((f) => f.rule === 'mixed-content'),
      'the given page is still read',
    );
  });

  test('a session id in a subresource URL: mixed content reported, the id kept out of the report', async () => {
    const r = await runCli(
      args('--max-depth', '0').map((a) =>
        a === `${s.site.httpsOrigin}/` ? `${s.site.httpsOrigin}/leaky` : a,
      ),
    );
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    const mixed = report.findings.filter((f) => f.rule === 'mixed-content');
    assert.equal(mixed.length, 1, JSON.stringify(report.findings));
    assert.match(mixed[0]!.evidence ?? '', /pic\.png;jsessionid=<redacted>/);
    assert.ok(!r.stdout.includes(IMG_SID), 'the session id of the image URL leaked into the report');
  });

  test('without --crawl nothing but the URL is requested (and no page facts are made)', async () => {
    const from = s.site.requests.length;
    const r = await runCli(args().filter((a) => a !== '--crawl'));
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(new Set(httpsPaths(from)), new Set(['/']));
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.ok(!report.findings.some((f) => f.rule === 'mixed-content'));
  });

  test('bad limits: one clear line, exit 2', async () => {
    for (const [flags, pattern] of [
      [['--max-pages', '0'], /--max-pages must be a positive integer/],
      [['--max-depth', '-1'], /--max-depth must be a positive integer/],
      [['--max-pages', 'lots'], /--max-pages must be a positive integer/],
    ] as const) {
      const r = await runCli(args(...flags));
      assert.equal(r.code, 2, r.stderr);
      assert.match(oneErrorLine(r.stderr) ?? r.stderr, pattern);
    }
    const r = await runCli(['check', `${s.site.httpsOrigin}/`, '--max-pages', '5']);
    assert.equal(r.code, 2);
    assert.match(oneErrorLine(r.stderr) ?? r.stderr, /--max-pages applies to a crawl: add --crawl/);
  });
});
