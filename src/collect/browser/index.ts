/**
 * The browser collector of `check --browser`: every URL loaded in one headless Chromium (see
 * run.ts), pages in parallel up to --concurrency. Its observations come on top of the live
 * collector's (which already reports the cookies of each URL's own responses, the HTTPS chain and
 * the plain-HTTP twin): cookies written by scripts, cookies of the requests the page and its
 * scripts make, cookies Chromium blocked and why, mixed content the page really requested and
 * insecure forms of the rendered DOM.
 *
 * The piece to build on: BrowserRun (launch once, visit(url), login(url, fields), close()).
 */
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';
import { runPool } from '../live/index.js';
import { parseUserCookies } from '../live/options.js';
import { BrowserRun } from './run.js';
import type { BrowserOptions, BrowserPage } from './types.js';

export { BrowserRun } from './run.js';
export { findChromium } from './chromium.js';

export interface BrowserResult {
  observations: Observation[];
  errors: ReportError[];
}

/**
 * Loads every URL in one browser. Throws a UserError when Chromium is missing or does not start
 * (the command ends with one line, exit 2); a page that fails to load is an error of the report.
 * With a `run` given, uses it and leaves it open (the caller logged in with it, for example).
 */
export async function collectBrowser(
  urls: string[],
  options: BrowserOptions,
  run?: BrowserRun,
  onProgress?: (done: number, total: number, url: string) => void,
  /** The origins a URL's page may be navigated to (null: anywhere), e.g. a crawled page's crawl scope. */
  scopeOf?: (url: string) => ReadonlySet<string> | null,
): Promise<BrowserResult> {
  const own = run === undefined;
  const browser = run ?? (await BrowserRun.launch(options));
  const results: BrowserPage[] = new Array(urls.length);
  let done = 0;
  try {
    // --cookie values as the live checker reads them (its errors are reported there).
    const cookies = parseUserCookies(options.cookies ?? []).cookies;
    if (cookies.length > 0) {
      const origins = new Set<string>();
      for (const u of urls) {
        try {
          const url = new URL(u);
          if (url.protocol === 'https:') origins.add(url.origin);
        } catch {
          /* reported by the live collector */
        }
      }
      for (const o of origins) await browser.addCookies(cookies, o);
    }
    await runPool(urls.length, options.concurrency ?? 8, async (i) => {
      const url = urls[i]!;
      try {
        results[i] = await browser.visit(url, {
          documentCookies: false,
          allowedOrigins: scopeOf?.(url) ?? null,
        });
      } catch (e) {
        results[i] = {
          finalUrl: url,
          visited: [],
          links: [],
          observations: [],
          errors: [{ url, message: `browser: ${e instanceof Error ? e.message : String(e)}` }],
        };
      }
      onProgress?.(++done, urls.length, url);
    });
  } finally {
    if (own) await browser.close();
  }
  const observations: Observation[] = [];
  const errors: ReportError[] = [];
  for (const r of results) {
    if (!r) continue;
    observations.push(...r.observations);
    errors.push(...r.errors);
  }
  return { observations, errors };
}
