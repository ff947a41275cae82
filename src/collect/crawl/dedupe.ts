/**
 * Observations a crawled page repeats from an earlier page of the run: the same cookie (same name
 * and attributes, whatever its value) delivered the same way by the same origin, the same HSTS
 * header of the same origin, the TLS outcome of an origin, the same malformed header. The rules
 * would judge them again and report the same finding once per page; they are kept the first time.
 * Everything else (each page's redirect chain and plain-HTTP twin, its page facts) is the page's own.
 */
import type { Observation } from '../../model/observation.js';

/**
 * An http(s) URL as the URL parser writes it, with a host name of letters, digits, dots and hyphens
 * and no port: its origin is what comes before the path (the parser has lower-cased the scheme and
 * host and dropped a default port; credentials and ports take the parser's way).
 */
const PLAIN_ORIGIN = /^https?:\/\/[a-z0-9.-]+(?=\/)/;

/** The origin of `href`, or `href` itself when it is not a URL. */
export function originOf(href: string): string {
  const plain = PLAIN_ORIGIN.exec(href);
  if (plain !== null) return plain[0];
  try {
    return new URL(href).origin;
  } catch {
    return href;
  }
}

/** The key of an observation that can repeat across pages, or null for a page's own ones. */
function repeatKey(o: Observation): string | null {
  switch (o.kind) {
    case 'cookie': {
      if (!o.delivery || o.raw === undefined) return null;
      const d = o.delivery;
      // The header without its value: a fresh session id per response is the same cookie.
      const semi = o.raw.indexOf(';');
      const attrs = semi === -1 ? '' : o.raw.slice(semi);
      return `c\0${d.probe}\0${d.scheme}\0${originOf(d.url)}\0${d.redirect ? 1 : 0}\0${o.name}\0${attrs}`;
    }
    case 'hsts':
      return `h\0${originOf(o.url)}\0${o.headers.join('\n')}`;
    case 'tls':
      return `t\0${originOf(o.url)}`;
    case 'malformed-header':
      return `m\0${originOf(o.url)}\0${o.header}\0${o.raw}`;
    default:
      return null;
  }
}

export class RepeatFilter {
  private readonly seen = new Set<string>();

  /** Records `observations`; when `drop`, returns them without the ones seen before. */
  filter(observations: Observation[], drop: boolean): Observation[] {
    const out: Observation[] = [];
    for (const o of observations) {
      const k = repeatKey(o);
      if (k !== null) {
        if (drop && this.seen.has(k)) continue;
        this.seen.add(k);
      }
      out.push(o);
    }
    return out;
  }
}
