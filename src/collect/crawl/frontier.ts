/**
 * The crawl's frontier: breadth-first from each URL given, one depth at a time (every page at depth
 * d is loaded before any at d + 1, so which pages fit under --max-pages does not depend on which
 * response came first), at most `concurrency` pages at once through a PageFetcher.
 *
 * What it follows: the same-origin URLs a page leads to (links, frames, meta refresh, form actions:
 * their page is loaded with GET; no form is ever submitted). A URL on one of the start's alias
 * origins (the plain-HTTP twin of an HTTPS start, whose pages `check` probes anyway) is visited as
 * the start-origin URL with the same path and query, so an http:// link to the site is checked as
 * the page it names, twin included. Nothing on any other origin is requested. Every URL is loaded
 * once per run (fragments removed), redirect hops included. Links whose path names a logout
 * (`/logout`, `/sign-out`, `/logoff` ...) are not followed: loading them would end a session the
 * run was given (--cookie, --login).
 */
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';
import { originOf } from './dedupe.js';
import type { CrawlLimits, CrawledPage, PageFetcher } from './types.js';

export interface FrontierOptions {
  limits: CrawlLimits;
  /** Origins whose URLs stand for the start's own pages (e.g. its plain-HTTP twin). */
  aliasesOf?: (start: URL) => string[];
  onPage?: (done: number, total: number, url: string) => void;
  /**
   * Called with each page's observations in breadth-first order (not the order responses came
   * in), e.g. to drop what an earlier page showed already; returns the ones to keep.
   */
  keep?: (observations: Observation[], depth: number) => Observation[];
}

export interface CrawlOutcome {
  observations: Observation[];
  errors: ReportError[];
  /** The pages loaded, in breadth-first order. */
  pages: { url: string; depth: number; start: string }[];
  /** The origins the crawl stays within: each start's and its aliases. */
  origins: string[];
}

interface Root {
  start: string;
  origin: string | null;
  /** alias origin -> the start's origin */
  aliases: Set<string>;
  allowed: Set<string>;
  count: number;
  /** inScope's answers (bounded): the pages of a site link to the same URLs again and again. */
  keys: Map<string, string | null>;
}

/** Answers remembered per root before the memory is cleared. */
const MAX_KEYS = 50_000;

interface Item {
  url: string;
  root: Root;
}

/** A path segment that names a logout (ending a session the crawl was given). */
const LOGOUT = /(?:^|[/_.-])(?:log|sign)[-_]?(?:out|off)(?:$|[/_.;-])/i;

export function isLogoutUrl(u: URL): boolean {
  return LOGOUT.test(u.pathname);
}

/** The URL as the crawl keys it within `root`'s scope, or null when it is out of scope. */
function inScope(href: string, root: Root): string | null {
  let key = root.keys.get(href);
  if (key === undefined) {
    key = scopeKey(href, root);
    if (root.keys.size >= MAX_KEYS) root.keys.clear();
    root.keys.set(href, key);
  }
  return key;
}

function scopeKey(href: string, root: Root): string | null {
  if (root.origin === null) return null;
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return null;
  }
  u.hash = '';
  if (u.origin === root.origin) return u.href;
  if (root.aliases.has(u.origin)) return `${root.origin}${u.pathname}${u.search}`;
  return null;
}

export async function crawl(
  starts: string[],
  fetch: PageFetcher,
  opts: FrontierOptions,
): Promise<CrawlOutcome> {
  const { maxPages, maxDepth, concurrency } = opts.limits;
  const out: CrawlOutcome = { observations: [], errors: [], pages: [], origins: [] };
  const origins = new Set<string>();
  const seen = new Set<string>();
  let level: Item[] = [];
  for (const start of starts) {
    let origin: string | null = null;
    let aliases: string[] = [];
    try {
      const u = new URL(start);
      if (u.protocol === 'https:' || u.protocol === 'http:') {
        origin = u.origin;
        aliases = (opts.aliasesOf?.(u) ?? []).filter((a) => a !== origin);
      }
    } catch {
      // Not a URL: the fetcher reports it.
    }
    const root: Root = {
      start,
      origin,
      aliases: new Set(aliases),
      allowed: new Set(origin === null ? aliases : [origin, ...aliases]),
      count: 1,
      keys: new Map(),
    };
    for (const o of root.allowed) origins.add(o);
    const key = inScope(start, root) ?? start;
    if (seen.has(key)) continue;
    seen.add(key);
    level.push({ url: start, root });
  }
  let done = 0;
  let total = level.length;
  for (let depth = 0; level.length > 0; depth++) {
    const results: (CrawledPage | null)[] = new Array(level.length).fill(null);
    const items = level;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const i = next++;
        const item = items[i]!;
        try {
          results[i] = await fetch({
            url: item.url,
            depth,
            start: item.root.start,
            allowedOrigins: depth === 0 ? null : item.root.allowed,
          });
        } catch (err) {
          // A bug in one page must not take the others down with it.
          out.errors.push({
            url: item.url,
            message: `internal error: ${(err as Error).message ?? String(err)}`,
          });
        }
        done++;
        opts.onPage?.(done, total, item.url);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));

    const following: Item[] = [];
    for (let i = 0; i < items.length; i++) {
      const r = results[i];
      if (!r) continue;
      const { root } = items[i]!;
      out.pages.push({ url: items[i]!.url, depth, start: root.start });
      const kept = opts.keep ? opts.keep(r.observations, depth) : r.observations;
      for (const o of kept) out.observations.push(o);
      for (const e of r.errors) out.errors.push(e);
      for (const v of r.visited) {
        const k = inScope(v, root);
        if (k !== null) seen.add(k);
      }
      if (depth === 0 && root.origin !== null && inScope(r.finalUrl, root) === null) {
        const to = originOf(r.finalUrl);
        out.errors.push({
          url: root.start,
          message: `crawl: ${root.start} redirects to another origin (${to}); its links were not followed (give a URL on ${to} to crawl it)`,
        });
        continue;
      }
      if (depth >= maxDepth) continue;
      for (const link of r.links) {
        if (root.count >= maxPages) break;
        const k = inScope(link, root);
        if (k === null || seen.has(k)) continue;
        if (isLogoutUrl(new URL(k))) continue;
        seen.add(k);
        root.count++;
        following.push({ url: k, root });
      }
    }
    total += following.length;
    level = following;
  }
  out.origins = [...origins];
  return out;
}
