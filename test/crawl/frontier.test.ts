/**
 * The frontier alone, with a fetcher that serves a site from a table: breadth-first order, limits,
 * origin filter (aliases included), dedupe of URLs and redirect hops, logout links, concurrency.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crawl, isLogoutUrl } from '../../src/collect/crawl/frontier.js';
import type { CrawledPage, PageFetcher, PageRequest } from '../../src/collect/crawl/types.js';

const O = 'https://site.test';

function tableFetcher(
  site: Record<string, { links?: string[]; redirect?: string }>,
  log: PageRequest[],
  state = { active: 0, peak: 0 },
): PageFetcher {
  return async (req) => {
    log.push(req);
    state.active++;
    state.peak = Math.max(state.peak, state.active);
    await new Promise((r) => setTimeout(r, 1));
    state.active--;
    const page = site[req.url];
    const visited = [req.url];
    let finalUrl = req.url;
    let links = page?.links ?? [];
    if (page?.redirect) {
      finalUrl = page.redirect;
      visited.push(finalUrl);
      links = site[finalUrl]?.links ?? [];
    }
    const out: CrawledPage = { finalUrl, visited, links, observations: [], errors: [] };
    return out;
  };
}

const limits = { maxPages: 50, maxDepth: 3, concurrency: 4 };

test('breadth-first, one depth at a time, each URL once, only the start origin and its aliases', async () => {
  const log: PageRequest[] = [];
  const site = {
    [`${O}/`]: { links: [`${O}/a`, `${O}/b#x`, `${O}/b`, 'https://other.test/', `http://site.test/c?q=1`] },
    [`${O}/a`]: { links: [`${O}/`, `${O}/a/1`, `${O}/b`] },
    [`${O}/b`]: { redirect: `${O}/b/end` },
    [`${O}/b/end`]: { links: [`${O}/a/1`] },
    [`${O}/c?q=1`]: { links: [`${O}/b/end`, `${O}/d`] },
    [`${O}/a/1`]: { links: [`${O}/a/1/2`] },
    [`${O}/a/1/2`]: { links: [`${O}/a/1/2/3`] },
  };
  const out = await crawl([`${O}/`], tableFetcher(site, log), {
    limits,
    aliasesOf: () => ['http://site.test'],
  });
  assert.deepEqual(
    out.pages.map((p) => [p.url, p.depth]),
    [
      [`${O}/`, 0],
      [`${O}/a`, 1],
      [`${O}/b`, 1],
      [`${O}/c?q=1`, 1],
      [`${O}/a/1`, 2],
      [`${O}/d`, 2],
      [`${O}/a/1/2`, 3],
    ],
  );
  assert.ok(!log.some((r) => r.url.includes('other.test')), 'another origin was requested');
  assert.equal(log[0]!.allowedOrigins, null, 'a URL given follows its redirects as check does');
  assert.deepEqual([...log[1]!.allowedOrigins!].sort(), ['http://site.test', O]);
  assert.deepEqual([...out.origins].sort(), ['http://site.test', O], 'the origins the crawl stays within');
});

test('--max-pages counts per URL given, the URL included; --max-depth 0 loads the URL only', async () => {
  const site: Record<string, { links: string[] }> = {};
  for (let i = 0; i < 30; i++) site[`${O}/p${i}`] = { links: [`${O}/p${i * 2 + 1}`, `${O}/p${i * 2 + 2}`] };
  let log: PageRequest[] = [];
  const out = await crawl([`${O}/p0`], tableFetcher(site, log), { limits: { ...limits, maxPages: 5 } });
  assert.deepEqual(
    out.pages.map((p) => p.url),
    [0, 1, 2, 3, 4].map((i) => `${O}/p${i}`),
  );
  log = [];
  await crawl([`${O}/p0`, 'https://two.test/'], tableFetcher(site, log), {
    limits: { ...limits, maxDepth: 0 },
  });
  assert.deepEqual(
    log.map((r) => r.url),
    [`${O}/p0`, 'https://two.test/'],
  );
});

test('concurrency is bounded; logout links are not followed', async () => {
  const site: Record<string, { links: string[] }> = {
    [`${O}/`]: {
      links: [
        ...Array.from({ length: 20 }, (_, i) => `${O}/n${i}`),
        `${O}/logout`,
        `${O}/account/sign-out?next=/`,
        `${O}/user/logoff`,
      ],
    },
  };
  const log: PageRequest[] = [];
  const state = { active: 0, peak: 0 };
  const out = await crawl([`${O}/`], tableFetcher(site, log, state), {
    limits: { ...limits, concurrency: 3 },
  });
  assert.equal(out.pages.length, 21);
  assert.ok(state.peak <= 3 && state.peak >= 2, `peak ${state.peak}`);
  assert.ok(!log.some((r) => /log|sign/.test(r.url)));
  assert.ok(isLogoutUrl(new URL(`${O}/Logout.php`)));
  assert.ok(!isLogoutUrl(new URL(`${O}/blog/outdoors`)));
  assert.ok(!isLogoutUrl(new URL(`${O}/catalog/outlet`)));
});

test('a URL given that redirects to another origin: said once, its links not followed', async () => {
  const log: PageRequest[] = [];
  const site = {
    [`${O}/`]: { redirect: 'https://www.site.test/' },
    'https://www.site.test/': { links: ['https://www.site.test/a'] },
  };
  const out = await crawl([`${O}/`], tableFetcher(site, log), { limits });
  assert.equal(log.length, 1);
  assert.equal(out.errors.length, 1);
  assert.match(out.errors[0]!.message, /redirects to another origin \(https:\/\/www\.site\.test\)/);
});
