/**
 * What a loaded HTML page tells the rules, whoever loaded it: the page observation (subresources an
 * HTTPS page loads over http:// for `mixed-content`, forms that submit to http:// for
 * `form-posts-over-http`), session identifiers in the URLs it links to (`session-id-in-url`), and
 * the URLs it leads to for the frontier (links, frames, meta refresh, form actions).
 */
import type {
  Observation,
  PageObservation,
  SessionIdInUrlObservation,
  SourceKind,
} from '../../model/observation.js';
import { scanPage } from '../html/scan.js';
import {
  findSessionIdsInUrl,
  mayCarrySessionId,
  redactSessionIdsInUrl,
  redactValues,
  type UrlSessionId,
} from '../live/session-id.js';

export interface PageFacts {
  links: string[];
  observations: Observation[];
}

/** The facts of one HTML page served from `pageUrl` (after redirects). */
export function pageFacts(html: string, pageUrl: string, source: SourceKind): PageFacts {
  const scanned = scanPage(html, pageUrl);
  const https = pageUrl.startsWith('https:');
  const page: PageObservation = {
    kind: 'page',
    source,
    url: redactSessionIdsInUrl(pageUrl),
    // Mixed content exists only on an HTTPS page (W3C Mixed Content §3: a request from a secure context).
    // URLs go into reports with the values of their session ids redacted: a subresource's URL is
    // named by no session-id observation (only links are), so the report's scrubbing would miss it.
    insecureSubresources: https
      ? scanned.subresources
          .filter((s) => s.url.startsWith('http:'))
          .map((s) => ({ url: redactSessionIdsInUrl(s.url), type: s.type, active: s.active }))
      : [],
    insecureFormActions: [],
    insecureForms: [],
  };
  const links = scanned.links; // scanPage's own list
  // Most pages have a form or two: a search of the list costs less than a set of every link
  // (a page of many forms gets the set).
  const linkSet = scanned.forms.length > 8 ? new Set(links) : null;
  for (const f of scanned.forms) {
    if (f.action.startsWith('http:')) {
      const action = redactSessionIdsInUrl(f.action);
      page.insecureFormActions.push(action);
      page.insecureForms!.push({ action, method: f.method, hasPassword: f.hasPassword });
    }
    // The form's page is loaded with GET (never submitted): its URL without the form's fields.
    if (linkSet ? linkSet.has(f.action) : links.includes(f.action)) continue;
    linkSet?.add(f.action);
    links.push(f.action);
  }
  const observations: Observation[] = [page];
  const reported = new Set<string>();
  const followed: string[] = [];
  for (const link of links) {
    const ids = mayCarrySessionId(link) ? findSessionIdsInUrl(link) : [];
    if (ids.length === 0) {
      followed.push(link);
      continue;
    }
    // Followed without the identifier (reported once, here, as a link): the same page, without
    // reporting the leak again at every hop and final URL, nor handing the server the id back.
    const bare = withoutSessionIds(link, ids);
    if (bare !== null) followed.push(bare);
    const values = ids.map((i) => i.value);
    for (const id of ids) {
      const key = `${link}|${id.parameter}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const o: SessionIdInUrlObservation = {
        kind: 'session-id-in-url',
        source,
        url: pageUrl,
        where: 'link',
        parameter: id.parameter,
        value: id.value,
        evidence: `link: ${redactValues(link, values)}`,
      };
      if (id.framework) o.framework = id.framework;
      observations.push(o);
    }
  }
  return { links: followed, observations };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * `link` without the session identifiers found in it (query parameters, `;name=value` path
 * parameters); null when an identifier cannot be taken out (ASP.NET's cookieless `(S(...))`).
 */
function withoutSessionIds(link: string, ids: UrlSessionId[]): string | null {
  const u = new URL(link);
  for (const id of ids) {
    if (id.form === 'query') u.searchParams.delete(id.parameter);
    else if (id.form === 'path-parameter') {
      const name = id.parameter.toLowerCase();
      u.pathname = u.pathname
        .split('/')
        .map((seg) =>
          seg
            .split(';')
            .filter((part, i) => i === 0 || safeDecode(part.split('=')[0]!).toLowerCase() !== name)
            .join(';'),
        )
        .join('/');
    } else return null;
  }
  return u.href;
}

/**
 * The text of an HTML body: the charset of the Content-Type header when the platform knows it,
 * else UTF-8 (the HTML default a browser falls back to before sniffing; a `<meta charset>` is not
 * looked for: the URLs the crawl reads are ASCII in practice).
 */
export function decodeHtml(body: Buffer, contentType: string): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  const decoder = m ? decoderFor(m[1]!.toLowerCase()) : null;
  return decoder ? decoder.decode(body) : body.toString('utf8');
}

/**
 * A decoder per charset label (null: a label the platform does not know, read as UTF-8), made once:
 * the pages of a site name the same charset. A decoder holds no state between decode() calls
 * without `stream`. Bounded (labels come from responses).
 */
function decoderFor(label: string): TextDecoder | null {
  let d = decoders.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = null;
    }
    if (decoders.size >= 64) decoders.clear();
    decoders.set(label, d);
  }
  return d;
}
const decoders = new Map<string, TextDecoder | null>();
