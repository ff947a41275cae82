/**
 * Follow one redirect chain by hand, hop by hop, recording every response: status, Set-Cookie
 * headers (each turned into a cookie observation with its delivery), Location, HSTS headers, and
 * session identifiers in Location headers. Cookies set along the chain are replayed on later hops
 * when tough-cookie's jar says they match (RFC 6265 domain/path/secure matching); the user's
 * --cookie/--header values go only to HTTPS URLs of the checked host.
 *
 * The requests come first, the analysis after: a Set-Cookie header is analysed while the chain runs
 * only when a later hop needs to know whether a browser keeps it (for the replay); the others are
 * recorded and analysed by chainObservations() once the URL's requests are done, with those of other
 * URLs (collectLive analyses fetched URLs in batches): in one loop rather than in between the network
 * work of up to 16 chains, they cost less (bench/check.bench.ts, fresh processes: the ratio to plain
 * undici went from 1.65 to 1.45).
 */
import { canonicalDomain, Cookie, CookieJar } from 'tough-cookie';
import { parseSetCookie, type ParsedSetCookie } from '../../cookies/setcookie.js';
import { ChainCookieStore } from './chain-store.js';
import { cookieObservationFromHeader, type ObserveOptions } from '../../cookies/observe.js';
import type {
  CookieObservation,
  LiveDelivery,
  MalformedHeaderObservation,
  Observation,
  RedirectHop,
  SessionIdInUrlObservation,
} from '../../model/observation.js';
import {
  headerValues,
  LiveRequestError,
  serverHeadersOf,
  type HopResponse,
  type IncomingHttpHeaders,
  type LiveClient,
  type ServerHeaders,
} from './client.js';
import type { SessionCookies, UserCookie } from './options.js';
import { findSessionIdsInUrl, mayCarrySessionId, redactSessionIdsInUrl, redactValues } from './session-id.js';

/**
 * A URL with a scheme and an authority: resolving it ignores the base entirely. ("http:path" may
 * take the base's path, so it does not count.)
 */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Statuses a browser follows with the Location header (RFC 9110 §15.4). */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface ChainSpec {
  client: LiveClient;
  start: URL;
  /** The URL the user asked to check. */
  requestedUrl: string;
  probe: 'https' | 'http-twin';
  /** Stop at the first Location that points to https:// (the plain-HTTP twin). */
  stopAtHttps: boolean;
  /** Host that may receive the user's cookies and headers, over HTTPS only (null: nobody). */
  userHost: string | null;
  userCookies: UserCookie[];
  userHeaders: Record<string, string>;
  /** Object.keys(userHeaders).length. */
  userHeaderCount: number;
  /** Sent on every hop (User-Agent, Accept). */
  baseHeaders: Record<string, string>;
  maxRedirects: number;
  maxSetCookies: number;
  // --- the crawl (src/collect/crawl) ---
  /** Keep the last response's body when it is HTML, up to this many bytes (0 or absent: never). */
  keepHtmlBytes?: number;
  /** Follow redirects only to these origins (absent: anywhere); the chain stops before any other. */
  allowedOrigins?: ReadonlySet<string>;
  /** (check --login) The logged-in session's cookies, sent over HTTPS only, after the chain's own. */
  session?: SessionCookies | null;
}

/**
 * A Set-Cookie header received along a chain and not analysed yet (no later hop needed its
 * outcome): chainObservations() turns it into its observation.
 */
class RecordedSetCookie {
  constructor(
    readonly raw: string,
    readonly delivery: LiveDelivery,
    /** The URL of the response (the same as delivery.url, parsed). */
    readonly url: URL,
    /** When the response arrived (ms since the epoch): Expires is judged against it. */
    readonly receivedAt: number,
  ) {}
}

export interface ChainOutcome {
  hops: RedirectHop[];
  /**
   * What the chain saw, in order: observations (cookies analysed during the chain, session ids in
   * Location) and Set-Cookie headers recorded for later analysis. Read it with chainObservations().
   */
  seen: (Observation | RecordedSetCookie)[];
  /** Non-fatal problems (Set-Cookie cap reached, body stalled ...), one line each. */
  notes: string[];
  /** URL of the last response received. */
  finalUrl: URL | null;
  /** The last HTTPS response of the chain, for HSTS. */
  lastHttps: { url: string; hsts: string[] } | null;
  /** The https:// URL the chain was redirected to when it stopped there (stopAtHttps). */
  reachedHttps: URL | null;
  /** Every https:// URL a request was made to (for the TLS outcome of each origin). */
  httpsRequested: URL[];
  /**
   * Headers of the last response that tell who answered (each the first value, trimmed; null when
   * absent), for the proxy-trust probe. Null when no response came.
   */
  lastServer: ServerHeaders | null;
  /** Why the chain stopped before its end. */
  error?: { message: string; code?: string; url: string; hop: number };
  /** Keys `url|parameter` of session ids already reported (made when the first one is). */
  sessionIdsSeen: Set<string> | null;
  /** The last response's HTML body (spec.keepHtmlBytes), for the crawl. */
  html?: { url: string; status: number; contentType: string; body: Buffer; truncated: boolean } | null;
  /** A redirect not followed because its target is outside spec.allowedOrigins. */
  leftScope?: string;
}

/**
 * tough-cookie's canonical form of a cookie's domain (its `canonicalDomain`: lower case, punycode,
 * no leading dot), remembered per domain: a chain's cookies come from a few hosts, and the
 * conversion goes through the URL parser's domainToASCII. Bounded.
 */
function jarDomain(domain: string): string {
  let d = canonicalDomains.get(domain);
  if (d === undefined) {
    d = canonicalDomain(domain) ?? domain;
    if (canonicalDomains.size >= 256) canonicalDomains.clear();
    canonicalDomains.set(domain, d);
  }
  return d;
}
const canonicalDomains = new Map<string, string>();

/** The jar's options: loopback targets are judged like remote ones (no Secure cookie over http://127.0.0.1 either). */
const JAR_OPTIONS = { allowSecureOnLocal: false, rejectPublicSuffixes: false };

/**
 * The cookies set along a chain, for replay on its later hops.
 *
 * What a browser stores is what the Set-Cookie parser decided (RFC 6265bis §5.7, checked against
 * Chromium): a cookie it rejects is never added, and one it keeps goes into the chain's store as a
 * tough-cookie Cookie with the domain, host-only flag, path and expiry the storage model gave it.
 * tough-cookie's CookieJar then decides which stored cookies each later request gets (RFC 6265
 * §5.4: domain and path matching, Secure, expiry, order). Handing the jar the raw header instead
 * made tough-cookie parse it again under its own, less exact rules, and its setCookie stays
 * unoptimised in a run (a few calls per hundred URLs are too few for V8 to compile a function that
 * size): leaving the whole jar out lowered the bench ratio by about 0.1, and a CPU profile put
 * setCookie at more than half of the jar.
 */
export class ChainJar {
  private store: ChainCookieStore | null = null;
  private jar: CookieJar | null = null;

  /** A Set-Cookie header as parsed (for the response it came with), received at `now` (ms). */
  add(p: ParsedSetCookie, now: number): void {
    if (p.ignoredEntirely || p.effectiveDomain === undefined || p.rejectedBy.length > 0) return;
    const a = p.attributes;
    const at = new Date(now);
    const cookie = new Cookie({
      key: p.name,
      value: p.value,
      domain: jarDomain(p.effectiveDomain),
      path: p.effectivePath,
      secure: a.secure,
      httpOnly: a.httpOnly,
      hostOnly: p.hostOnly,
      expires: p.deletion
        ? new Date(0)
        : p.lifetime.kind === 'persistent'
          ? new Date(now + p.lifetime.seconds * 1000)
          : 'Infinity',
      sameSite:
        a.sameSite === 'strict' || a.sameSite === 'lax' || a.sameSite === 'none' ? a.sameSite : undefined,
      creation: at,
      lastAccessed: at,
    });
    (this.store ??= new ChainCookieStore()).keep(cookie);
  }

  /** No cookie was set along the chain yet. */
  get empty(): boolean {
    return this.store === null;
  }

  /** Cookies the jar would send to `url` (RFC 6265 §5.4 matching, by tough-cookie). */
  cookiesFor(url: URL): { name: string; pair: string }[] {
    if (this.store === null) return [];
    this.jar ??= new CookieJar(this.store, JAR_OPTIONS);
    return this.jar.getCookiesSync(url).map((c) => ({ name: c.key, pair: c.cookieString() }));
  }
}

function cookieHeader(spec: ChainSpec, jar: ChainJar, url: URL, userGets: boolean): string | undefined {
  const session = spec.session && url.protocol === 'https:' ? spec.session : null;
  if (jar.empty && session === null && (spec.userCookies.length === 0 || !userGets)) return undefined;
  const parts: string[] = [];
  const names = new Set<string>();
  for (const c of jar.cookiesFor(url)) {
    parts.push(c.pair);
    names.add(c.name);
  }
  if (session !== null) {
    for (const c of session.cookiesFor(url)) {
      if (names.has(c.name)) continue;
      parts.push(c.pair);
      names.add(c.name);
    }
  }
  if (userGets) {
    for (const c of spec.userCookies) if (!names.has(c.name)) parts.push(`${c.name}=${c.value}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** The user's cookies and headers go over HTTPS to the checked host, never elsewhere. */
function userMayReceive(spec: ChainSpec, url: URL): boolean {
  return url.protocol === 'https:' && spec.userHost !== null && url.hostname === spec.userHost;
}

export function sessionIdObservations(
  target: string,
  where: 'location' | 'url',
  responseUrl: string,
  evidencePrefix: string,
  chain: { sessionIdsSeen: Set<string> | null },
): SessionIdInUrlObservation[] {
  const out: SessionIdInUrlObservation[] = [];
  // The resolved URL takes its parts from `target` and, when `target` is relative, from
  // `responseUrl`: when neither can carry an id, there is nothing to resolve.
  if (!mayCarrySessionId(target) && (ABSOLUTE_URL.test(target) || !mayCarrySessionId(responseUrl)))
    return out;
  let resolved: string;
  try {
    resolved = new URL(target, responseUrl).href;
  } catch {
    return out;
  }
  const ids = findSessionIdsInUrl(resolved);
  const values = ids.map((i) => i.value);
  for (const id of ids) {
    const key = `${resolved}|${id.parameter}`;
    const seen = (chain.sessionIdsSeen ??= new Set());
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      kind: 'session-id-in-url',
      source: 'live',
      url: where === 'location' ? responseUrl : resolved,
      where,
      parameter: id.parameter,
      value: id.value,
      evidence: `${evidencePrefix}${redactValues(where === 'location' ? target : resolved, values)}`,
      ...(id.framework ? { framework: id.framework } : {}),
    });
  }
  return out;
}

/** The observation of one Set-Cookie header (the header's problem goes to `notes` if it has none). */
function observeSetCookie(
  raw: string,
  delivery: LiveDelivery,
  url: URL,
  now: Date | undefined,
  notes: string[],
  parsed?: ParsedSetCookie,
): CookieObservation | MalformedHeaderObservation | null {
  const opts: ObserveOptions = { source: 'live', requestUrl: url };
  if (now) opts.now = now;
  if (parsed) opts.parsed = parsed;
  try {
    return cookieObservationFromHeader(raw, delivery, opts);
  } catch (err) {
    notes.push(
      `${redactSessionIdsInUrl(url.href)}: a Set-Cookie header could not be analysed: ${(err as Error).message}`,
    );
    return null;
  }
}

/**
 * The observations of a chain, in the order it saw them: the recorded Set-Cookie headers are
 * analysed now (once: the outcome replaces them). Notes about headers that could not be analysed go
 * to `chain.notes`.
 */
export function chainObservations(chain: ChainOutcome): Observation[] {
  const seen = chain.seen;
  let at: Date | null = null;
  let atMs = -1;
  const out: Observation[] = [];
  for (let i = 0; i < seen.length; i++) {
    const e = seen[i]!;
    if (!(e instanceof RecordedSetCookie)) {
      out.push(e);
      continue;
    }
    // Headers of one response share its time: one Date per response.
    if (at === null || atMs !== e.receivedAt) at = new Date((atMs = e.receivedAt));
    const o = observeSetCookie(e.raw, e.delivery, e.url, at, chain.notes);
    if (o) out.push(o);
  }
  chain.seen = out;
  return out;
}

export async function followChain(spec: ChainSpec): Promise<ChainOutcome> {
  const jar = new ChainJar();
  const out: ChainOutcome = {
    hops: [],
    seen: [],
    notes: [],
    finalUrl: null,
    lastHttps: null,
    reachedHttps: null,
    httpsRequested: [],
    lastServer: null,
    sessionIdsSeen: null,
  };
  /**
   * Requests made (URL + cookies): a chain is at most maxRedirects + 1 long, a list will do (made
   * from the second request on: most chains make one).
   */
  let firstRequest: string | null = null;
  let requested: string[] | null = null;
  let url = spec.start;
  /** Only the last response's headers are summarised (the others are not kept). */
  let lastHeaders: IncomingHttpHeaders | null = null;

  // The user's cookies and headers may go to some hops of this chain only if there are any.
  const userAny = spec.userCookies.length > 0 || spec.userHeaderCount > 0;
  for (let hop = 0; ; hop++) {
    const href = url.href;
    const https = url.protocol === 'https:';
    const userGets = userAny && userMayReceive(spec, url);
    const cookie = cookieHeader(spec, jar, url, userGets);
    // The base headers as they are when nothing is added (undici does not modify them).
    let headers = spec.baseHeaders;
    if (cookie !== undefined || (userGets && spec.userHeaderCount > 0)) {
      headers = { ...spec.baseHeaders };
      if (userGets) Object.assign(headers, spec.userHeaders);
      if (cookie !== undefined) headers.cookie = cookie;
    }

    // A loop is the same URL requested again with the same cookies: the server cannot answer
    // differently. (A redirect back after setting a cookie is a cookie check, not a loop.)
    const key = cookie === undefined ? href : `${href}\n${cookie}`;
    if (key === firstRequest || (requested !== null && requested.includes(key))) {
      const path = [...out.hops.map((h) => h.url), href].map(redactSessionIdsInUrl).join(' -> ');
      out.error = { message: `redirect loop: ${path}`, url: redactSessionIdsInUrl(href), hop };
      break;
    }
    if (firstRequest === null) firstRequest = key;
    else (requested ??= []).push(key);
    if (https) out.httpsRequested.push(url);

    let res: HopResponse;
    try {
      res = await spec.client.get(url, headers, spec.keepHtmlBytes ?? 0);
    } catch (err) {
      const e = err instanceof LiveRequestError ? err : new LiveRequestError(String(err), undefined, href);
      out.error = { message: e.message, code: e.code, url: redactSessionIdsInUrl(href), hop };
      break;
    }
    out.finalUrl = url;
    lastHeaders = res.headers;
    if (spec.keepHtmlBytes) out.html = res.html ? { url: href, status: res.status, ...res.html } : null;
    const scheme = https ? 'https' : 'http';
    const status = res.status;

    const allCookies = headerValues(res.headers, 'set-cookie');
    const setCookies =
      allCookies.length > spec.maxSetCookies ? allCookies.slice(0, spec.maxSetCookies) : allCookies;
    const dropped = allCookies.length - setCookies.length;
    const hsts = headerValues(res.headers, 'strict-transport-security');
    const location = res.headers.location;
    const rawLocation =
      location === undefined ? null : Array.isArray(location) ? (location[0] ?? null) : location;
    let next: URL | null = null;
    if (rawLocation !== null && REDIRECT_STATUSES.has(status)) {
      try {
        next = new URL(rawLocation, url);
      } catch {
        out.notes.push(
          `${redactSessionIdsInUrl(href)}: invalid Location header; the redirect was not followed`,
        );
      }
      if (next && rawLocation.includes('#')) next.hash = ''; // fragments are never sent
      if (next && next.protocol !== 'https:' && next.protocol !== 'http:') {
        out.notes.push(`${redactSessionIdsInUrl(href)}: redirect to a ${next.protocol} URL was not followed`);
        next = null;
      }
    }
    const redirect = next !== null;
    const record: RedirectHop = {
      url: href,
      scheme,
      status,
      location: rawLocation,
      setCookies,
      hsts,
      redirect,
      bodyBytes: res.bodyBytes,
      bodyTruncated: res.bodyTruncated,
    };
    if (dropped > 0) record.setCookiesDropped = dropped;
    out.hops.push(record);
    if (https) out.lastHttps = { url: href, hsts };
    if (dropped > 0) {
      out.notes.push(
        `${redactSessionIdsInUrl(href)}: ${allCookies.length} Set-Cookie headers in one response; only the first ${spec.maxSetCookies} were analysed`,
      );
    }
    if (res.bodyError)
      out.notes.push(`${redactSessionIdsInUrl(href)}: response body incomplete: ${res.bodyError}`);

    if (setCookies.length > 0) {
      const delivery: LiveDelivery = {
        url: href,
        scheme,
        status,
        hop,
        requestedUrl: spec.requestedUrl,
        redirect,
        probe: spec.probe,
      };
      // Another request follows in this chain: it must know now which cookies a browser keeps.
      const continues =
        next !== null && !(spec.stopAtHttps && next.protocol === 'https:') && hop + 1 <= spec.maxRedirects;
      const receivedAt = continues ? 0 : Date.now();
      for (let i = 0; i < setCookies.length; i++) {
        const raw = setCookies[i]!;
        if (!continues) {
          out.seen.push(new RecordedSetCookie(raw, delivery, url, receivedAt));
          continue;
        }
        const p = parseSetCookie(raw, url);
        const o = observeSetCookie(raw, delivery, url, undefined, out.notes, p);
        if (!o) continue;
        out.seen.push(o);
        // Only what a browser stores is replayed: a cookie the storage model rejects (RFC 6265bis
        // §5.7, checked against Chromium) never reaches the jar, deletions do (they remove a cookie).
        jar.add(p, Date.now());
      }
    }
    if (rawLocation !== null && redirect) {
      const ids = sessionIdObservations(rawLocation, 'location', href, 'Location: ', out);
      for (let i = 0; i < ids.length; i++) out.seen.push(ids[i]!);
    }

    if (!next) break;
    if (spec.stopAtHttps && next.protocol === 'https:') {
      out.reachedHttps = next;
      break;
    }
    if (spec.allowedOrigins && !spec.allowedOrigins.has(next.origin)) {
      out.leftScope = next.href;
      break;
    }
    if (hop + 1 > spec.maxRedirects) {
      out.error = {
        message: `more than ${spec.maxRedirects} redirects; stopped before ${redactSessionIdsInUrl(next.href)}`,
        url: redactSessionIdsInUrl(next.href),
        hop: hop + 1,
      };
      break;
    }
    url = next;
  }
  if (lastHeaders !== null) out.lastServer = serverHeadersOf(lastHeaders);
  return out;
}
