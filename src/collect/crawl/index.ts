/**
 * `check --crawl`: the URLs given, and the same-origin pages they lead to, breadth-first
 * (frontier.ts), each page checked as `check` checks a URL (http.ts) and read for links,
 * subresources and forms (page.ts). GET only: no form is ever submitted. Bounded by --max-pages
 * and --max-depth per URL given, --timeout per request, --concurrency pages at once, and a cap on
 * the HTML read per page.
 *
 * Observations that repeat on every page of a site are kept once (dedupe.ts): a crawled page that
 * sets the same cookie with the same attributes, or sends the same HSTS header, as a page before it
 * adds nothing for the rules to judge.
 */
import type { Observation } from '../../model/observation.js';
import { clientFor, prepare, type LiveOptions, type LiveResult } from '../live/index.js';
import { twinUrl } from '../live/options.js';
import { RepeatFilter } from './dedupe.js';
import { crawl } from './frontier.js';
import { httpPageFetcher } from './http.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_PAGES } from './types.js';

export interface CrawlOptions {
  maxPages?: number;
  maxDepth?: number;
  /** HTML bytes read per page (default 1 MiB, and never more than the body cap). */
  maxPageBytes?: number;
}

export const DEFAULT_MAX_PAGE_BYTES = 1024 * 1024;

export interface CrawlResult extends LiveResult {
  /** The URLs of the pages the crawl loaded, in breadth-first order (for `--browser`). */
  pages: string[];
  /**
   * The origins the crawl stayed within: each URL given's, and its twin's (for `--browser`, whose
   * loads of the crawled pages stay there too).
   */
  origins: string[];
}

/**
 * Crawl from `urls` over plain HTTP(S); exit-safe like collectLive: problems come back in `errors`.
 * (`check --crawl --browser` loads the pages it returns in the browser afterwards.)
 */
export async function collectCrawl(
  urls: string[],
  opts: LiveOptions & CrawlOptions,
  onProgress?: (done: number, total: number, url: string) => void,
): Promise<CrawlResult> {
  const setup = prepare(opts);
  if (setup.errors.length > 0)
    return { observations: [], errors: setup.errors.map((message) => ({ message })), pages: [], origins: [] };
  const config = setup.config!;
  const client = clientFor(config);
  const maxPageBytes = Math.min(opts.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES, config.bounds.maxBodyBytes);
  const fetchPage = httpPageFetcher({ client, config, maxPageBytes });
  const repeats = new RepeatFilter();
  try {
    const outcome = await crawl(urls, fetchPage, {
      limits: {
        maxPages: opts.maxPages ?? DEFAULT_MAX_PAGES,
        maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
        concurrency: config.bounds.concurrency,
      },
      // The plain-HTTP twin's (or HTTPS twin's) origin: links there name the same pages.
      aliasesOf: (start) => [
        twinUrl(
          start,
          start.protocol === 'https:' ? 'http' : 'https',
          start.protocol === 'https:' ? config.httpOrigin : config.httpsOrigin,
        ).origin,
      ],
      // Observations of the URLs given are kept whole (the same as without --crawl); those of
      // crawled pages lose what a page before them already showed.
      keep: (observations, depth) => repeats.filter(observations, depth > 0),
      ...(onProgress ? { onPage: onProgress } : {}),
    });
    const observations: Observation[] = outcome.observations;
    return {
      observations,
      errors: outcome.errors,
      pages: outcome.pages.map((p) => p.url),
      origins: outcome.origins,
    };
  } finally {
    await client.close();
  }
}
