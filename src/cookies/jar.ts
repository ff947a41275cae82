/**
 * What a browser's cookie jar would send where, for the questions rules ask:
 *   - is a cookie set over HTTPS without Secure sent to http:// of the same host? (the leak)
 *   - can a non-Secure cookie shadow or overwrite a Secure one of the same name?
 *
 * The storage decision (is the cookie kept at all?) comes from our own parser
 * (./setcookie.ts), because tough-cookie does not judge everything browsers judge
 * (knowledge/browser-rules.md: prefixes matched case-sensitively, no SameSite=None-requires-Secure,
 * no size limit). Domain, path and scheme matching on retrieval come from tough-cookie's jar
 * (tough-cookie 6.1, RFC 6265 §5.4 retrieval; same rules in RFC 6265bis §5.8.3).
 */
import { CookieJar, pathMatch } from 'tough-cookie';
import { domainMatches, parseSetCookie, type ParsedSetCookie } from './setcookie.js';

export interface JarOptions {
  /** Evaluate at this time (default: now). */
  now?: Date;
  /**
   * Treat http://localhost, 127.0.0.0/8 and [::1] as secure contexts, as Chrome and Firefox do
   * (default true). Set false for Safari's behaviour.
   */
  loopbackIsSecure?: boolean;
}

/** A Set-Cookie header and the URL of the response that carried it. */
export interface CookieSetting {
  raw: string;
  url: string;
}

/** Would a browser store this cookie at all (storage model, RFC 6265bis §5.7), ignoring other cookies? */
export function wouldBeStored(parsed: ParsedSetCookie, opts?: JarOptions): boolean {
  if (parsed.ignoredEntirely || parsed.deletion) return false;
  const loopbackOk = (opts?.loopbackIsSecure ?? true) && parsed.loopbackSecureContext;
  return parsed.rejectedBy.every((r) => r === 'SecureOnly' && loopbackOk);
}

/**
 * Would the cookie set by `setCookieRaw` in the response to `setAtUrl` be sent with a request to
 * `targetUrl` (a top-level, same-site request: SameSite does not restrict it)? Never throws; any
 * unusable input answers false.
 *
 * Example: `a=1` set at https://example.com/ is sent to http://example.com/; with `Secure` it is not.
 */
export function wouldBeSentTo(
  setCookieRaw: string,
  setAtUrl: string,
  targetUrl: string,
  opts?: JarOptions,
): boolean {
  try {
    const now = opts?.now ?? new Date();
    const parsed = parseSetCookie(setCookieRaw, setAtUrl, now);
    if (!wouldBeStored(parsed, opts)) return false;
    const loopbackIsSecure = opts?.loopbackIsSecure ?? true;
    const jar = new CookieJar(undefined, {
      rejectPublicSuffixes: true,
      looseMode: true, // nameless cookies (`=v`, `v`) exist in browsers
      prefixSecurity: 'unsafe-disabled', // judged by parseSetCookie (case-insensitively, as browsers do)
      allowSpecialUseDomain: true,
      allowSecureOnLocal: loopbackIsSecure,
      enforceSecureOriginOnStorage: true,
    });
    const stored = jar.setCookieSync(setCookieRaw, setAtUrl, { ignoreError: true, loose: true, now });
    if (!stored) return false;
    // Expiry was judged at `now` by parseSetCookie; the jar would judge it at the wall clock.
    const sent = jar.getCookiesSync(targetUrl, { http: true, expire: false });
    return sent.some((c) => c.key === stored.key && c.value === stored.value);
  } catch {
    return false;
  }
}

function storedFacts(s: CookieSetting, opts?: JarOptions): ParsedSetCookie | null {
  const p = parseSetCookie(s.raw, s.url, opts?.now);
  if (!wouldBeStored(p, opts) || p.effectiveDomain === undefined) return null;
  return p;
}

/** Step 16's test: the domains domain-match one way or the other (host-only or not). */
function domainsOverlap(a: ParsedSetCookie, b: ParsedSetCookie): boolean {
  const da = a.effectiveDomain!;
  const db = b.effectiveDomain!;
  return domainMatches(da, db) || domainMatches(db, da);
}

/** Is there a host to which both cookies are sent? Host-only cookies go to their exact host only. */
function sendDomainsOverlap(a: ParsedSetCookie, b: ParsedSetCookie): boolean {
  const da = a.effectiveDomain!;
  const db = b.effectiveDomain!;
  if (a.hostOnly && b.hostOnly) return da === db;
  if (a.hostOnly) return domainMatches(da, db);
  if (b.hostOnly) return domainMatches(db, da);
  return domainMatches(da, db) || domainMatches(db, da);
}

/**
 * RFC 6265bis §5.7 step 16 ("leave secure cookies alone"): a browser that already holds `existing`
 * ignores `incoming` when `incoming` is not Secure, arrives over a non-secure connection, has the same
 * name, a domain that domain-matches `existing`'s (or vice versa) and a path that path-matches
 * `existing`'s path. Chrome reports this as OverwriteSecure. False when `existing` is not a Secure
 * cookie a browser would keep.
 */
export function overwriteSecureBlocked(
  existing: CookieSetting,
  incoming: CookieSetting,
  opts?: JarOptions,
): boolean {
  try {
    const e = storedFacts(existing, opts);
    const i = parseSetCookie(incoming.raw, incoming.url, opts?.now);
    if (!e || !e.attributes.secure || i.ignoredEntirely || i.effectiveDomain === undefined) return false;
    if (i.attributes.secure) return false;
    const loopbackOk = (opts?.loopbackIsSecure ?? true) && i.loopbackSecureContext;
    if (i.secureTransport || loopbackOk) return false;
    if (i.name !== e.name) return false;
    if (!domainsOverlap(e, i)) return false;
    return pathMatch(i.effectivePath, e.effectivePath);
  } catch {
    return false;
  }
}

/**
 * Can the non-Secure cookie `a` live next to the Secure cookie `b` of the same name and be sent
 * along with it (cookie shadowing / tossing)? True when both would be stored, `a` is not Secure,
 * `b` is, they have the same name, some host receives both (host-only cookies go to their exact
 * host only) and their paths overlap (one path-matches the other). The server then receives two values for one name and
 * may read the attacker-controllable one. Browsers' step 16 blocks this only for `a` set over plain
 * HTTP with a path inside `b`'s.
 */
export function shadows(a: CookieSetting, b: CookieSetting, opts?: JarOptions): boolean {
  try {
    const pa = storedFacts(a, opts);
    const pb = storedFacts(b, opts);
    if (!pa || !pb) return false;
    if (pa.attributes.secure || !pb.attributes.secure) return false;
    if (pa.name !== pb.name) return false;
    if (!sendDomainsOverlap(pa, pb)) return false;
    return pathMatch(pa.effectivePath, pb.effectivePath) || pathMatch(pb.effectivePath, pa.effectivePath);
  } catch {
    return false;
  }
}
