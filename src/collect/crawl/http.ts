/**
 * The crawl's default page fetcher: each page goes through exactly what `check` does to a URL it is
 * given (src/collect/live: the HTTPS chain and the plain-HTTP twin, their cookies, HSTS, TLS, the
 * proxy-trust probe), with two differences: the last response's body is kept when it is HTML (up to
 * the page-size cap), and a crawled page's redirects stay within its start's origins. The HTML is
 * read by page.ts.
 */
import type { ReportError } from '../../model/finding.js';
import type { Observation } from '../../model/observation.js';
import type { LiveClient } from '../live/client.js';
import {
  fetchUrl,
  observeUrl,
  proxyProbeOf,
  type Claimed,
  type Fetched,
  type RunConfig,
} from '../live/index.js';
import { runProxyProbe } from '../live/proxy-probe.js';
import { parseTargetUrl } from '../live/options.js';
import type { ChainOutcome } from '../live/chain.js';
import { decodeHtml, pageFacts } from './page.js';
import type { CrawledPage, PageFetcher, PageRequest } from './types.js';

export interface HttpFetcherOptions {
  client: LiveClient;
  config: RunConfig;
  /** HTML bytes kept per page; the rest of a longer page is not read for links. */
  maxPageBytes: number;
}

/** The HTML body the page's links are read from: the HTTPS answer, else the plain-HTTP one. */
function pageBody(f: Fetched): NonNullable<ChainOutcome['html']> | null {
  const ok = (c: ChainOutcome | null) =>
    c?.html && c.html.status >= 200 && c.html.status < 300 && !c.leftScope ? c.html : null;
  const secure = ok(f.secure);
  if (secure) return secure;
  // The twin's page counts when it is the site's answer (served over HTTP, not a redirect to HTTPS).
  return f.twin && f.twin.reachedHttps === null ? ok(f.twin) : null;
}

export function httpPageFetcher(opts: HttpFetcherOptions): PageFetcher {
  const { client, config, maxPageBytes } = opts;
  const claimed: Claimed = { https: new Set(), twin: new Set() };
  return async (req: PageRequest): Promise<CrawledPage | null> => {
    const t = parseTargetUrl(req.url);
    if (!t.url) {
      return {
        finalUrl: req.url,
        visited: [],
        links: [],
        observations: [],
        errors: [{ url: req.url, message: t.error! }],
      };
    }
    const f = await fetchUrl(client, config, t.url, claimed, {
      keepHtmlBytes: maxPageBytes,
      ...(req.allowedOrigins ? { allowedOrigins: req.allowedOrigins } : {}),
    });
    if (!f.secure && !f.twin) return null;
    const result = observeUrl(client, config, f);
    const probe = proxyProbeOf(client, config, f);
    if (probe) await runProxyProbe(probe.input, probe.plan, result);
    const observations: Observation[] = result.observations;
    const errors: ReportError[] = result.errors;
    const visited: string[] = [];
    for (const c of [f.secure, f.twin]) if (c) for (const h of c.hops) visited.push(h.url);
    const body = pageBody(f);
    const finalUrl = body?.url ?? f.secure?.finalUrl?.href ?? f.twin?.finalUrl?.href ?? req.url;
    let links: string[] = [];
    if (body) {
      const facts = pageFacts(decodeHtml(body.body, body.contentType), body.url, 'crawl');
      links = facts.links;
      for (const o of facts.observations) observations.push(o);
      if (body.truncated)
        errors.push({
          url: body.url,
          message: `crawl: ${body.url} is larger than ${maxPageBytes} bytes; links past that were not read`,
        });
    }
    return { finalUrl, visited, links, observations, errors };
  };
}
