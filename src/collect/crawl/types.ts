/**
 * The seam between the crawl's frontier (frontier.ts: breadth-first order, limits, origin filter,
 * dedupe) and whatever loads a page: plain HTTP requests (http.ts; the tests plug in fetchers of
 * their own). A fetcher loads what it is asked to and reports what it saw; it never decides what to
 * visit next.
 */
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';

export interface PageRequest {
  /** The URL to load (absolute, no fragment). */
  url: string;
  /** 0 for a URL the user gave, n for a page n links away from it. */
  depth: number;
  /** The URL the user gave that this page was found from. */
  start: string;
  /**
   * Origins a redirect may take this page to (null: anywhere, for a URL the user gave, which is
   * checked as `check` always checks it). A fetcher stops before a redirect to any other origin.
   */
  allowedOrigins: ReadonlySet<string> | null;
}

export interface CrawledPage {
  /** Where the page ended up (after redirects). */
  finalUrl: string;
  /** Every URL requested for it (the redirect hops): not requested again by the crawl. */
  visited: string[];
  /**
   * URLs the page leads to, absolute, in document order: links, frames, meta refresh, form actions.
   * Any origin: the frontier keeps the same-origin ones.
   */
  links: string[];
  observations: Observation[];
  errors: ReportError[];
}

/** Loads one page; null when there was nothing to load (e.g. already loaded for another page). */
export type PageFetcher = (req: PageRequest) => Promise<CrawledPage | null>;

export interface CrawlLimits {
  /** Pages loaded per URL given, that URL included (default 50). */
  maxPages: number;
  /** Links followed away from a URL given (default 3; 0 checks the given page and reads it only). */
  maxDepth: number;
  /** Pages loaded at once. */
  concurrency: number;
}

export const DEFAULT_MAX_PAGES = 50;
export const DEFAULT_MAX_DEPTH = 3;
