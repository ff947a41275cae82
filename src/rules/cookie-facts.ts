/**
 * Facts about cookie observations that several rules share: which cookies are judged at all, what
 * an attribute's value is when it is known, which storage-model step makes a browser drop a
 * cookie, how severe a problem is for a cookie of a given category, and how to name a cookie in a
 * message.
 *
 * Browser facts: draft-ietf-httpbis-rfc6265bis (Cookies: HTTP State Management Mechanism),
 * https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-rfc6265bis#name-storage-model
 * (storage model: size limit, Domain, Secure from a non-secure origin, "leave secure cookies
 * alone", SameSite=None requires Secure, cookie prefixes).
 */
import { defaultPath, domainMatch, getPublicSuffix } from 'tough-cookie';
import { isLoopbackHost } from '../cookies/setcookie.js';
import type { Severity } from '../model/finding.js';
import type {
  Attr,
  CookieCategory,
  CookieObservation,
  Observation,
  RejectionReason,
} from '../model/observation.js';
import type { RuleContext } from './types.js';
import { setCookieNameColon } from '../cookies/redact.js';

/** RFC 6265bis storage model: name + value over this many octets and the cookie is ignored. */
export const MAX_NAME_VALUE_OCTETS = 4096;

export function isCookie(o: Observation): o is CookieObservation {
  return o.kind === 'cookie';
}

/** A cookie rules judge, with the storage-model fact nearly every rule asks first. */
export interface JudgedCookie {
  readonly cookie: CookieObservation;
  /** The reason browsers drop it (primaryRejection), or null when they keep it. */
  readonly primary: RejectionReason | null;
  /**
   * Live: a later response of the same chain set a cookie of the same name, domain and path, so the
   * browser ends up storing that one. This cookie's attributes are not what the browser keeps: only
   * what it exposed on its way (cookie-set-over-http) is judged.
   */
  readonly superseded?: boolean;
}

/** Cookies rules judge: deletions (Max-Age <= 0, Expires in the past) never are. */
export function judgeableCookies(observations: readonly Observation[]): CookieObservation[] {
  const out: CookieObservation[] = [];
  for (const o of observations) if (o.kind === 'cookie' && !o.deletion) out.push(o);
  return out;
}

/**
 * The judgeable cookies with their primary rejection, computed once per run when the run's
 * context is given: rules loop over these instead of asking per cookie.
 */
export function judgedCookies(
  observations: readonly Observation[],
  ctx?: RuleContext,
): readonly JudgedCookie[] {
  if (ctx === undefined || ctx.observations !== observations) return judge(observations);
  let judged = judgedByRun.get(ctx);
  if (judged === undefined) {
    judged = judge(observations);
    judgedByRun.set(ctx, judged);
  }
  return judged;
}

const judgedByRun = new WeakMap<RuleContext, readonly JudgedCookie[]>();

function judge(observations: readonly Observation[]): JudgedCookie[] {
  const out: JudgedCookie[] = [];
  // The last place in each visit that stored each cookie (kept cookies only: a rejected one
  // overwrites nothing).
  let last: Map<string, number> | null = null;
  const primaries: (RejectionReason | null)[] = [];
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    if (o.kind !== 'cookie') continue;
    const primary = computeRejections(o).primary;
    primaries.push(primary);
    if (o.delivery && primary === null) {
      const k = storageKey(o);
      last ??= new Map();
      if ((last.get(k) ?? -1) < visitOrder(o)) last.set(k, visitOrder(o));
    }
  }
  let n = 0;
  for (let i = 0; i < observations.length; i++) {
    const o = observations[i]!;
    if (o.kind !== 'cookie') continue;
    const primary = primaries[n++]!;
    if (o.deletion) continue;
    const superseded =
      last !== null && o.delivery !== undefined && (last.get(storageKey(o)) ?? -1) > visitOrder(o);
    out.push(superseded ? { cookie: o, primary, superseded } : { cookie: o, primary });
  }
  return out;
}

/**
 * Where a live cookie was set within one visit of a checked URL, in the order a browser meets the
 * responses: the plain-HTTP twin's hops (its redirect to HTTPS) come before the HTTPS chain's.
 */
function visitOrder(c: CookieObservation): number {
  const d = c.delivery!;
  return (d.probe === 'http-twin' ? 0 : 100_000) + d.hop;
}

/**
 * A live cookie's place in the browser's jar within one visit: the checked URL's host and path (the
 * HTTPS chain and its plain-HTTP twin are one visit: cookies ignore ports and schemes), the
 * cookie's name, domain and path.
 */
function storageKey(c: CookieObservation): string {
  const d = c.delivery!;
  let visit: string;
  try {
    const u = new URL(d.requestedUrl);
    visit =
      d.probe === 'https' || d.probe === 'http-twin'
        ? `${u.hostname}${u.pathname}${u.search}`
        : `${d.probe} ${d.requestedUrl}`;
  } catch {
    visit = `${d.probe} ${d.requestedUrl}`;
  }
  const domain = domainAttribute(c) ?? hostOf(d.url) ?? '';
  let path = c.path && c.path.value !== 'unknown' && c.path.value.startsWith('/') ? c.path.value : null;
  if (path === null) {
    try {
      path = defaultPath(new URL(d.url).pathname);
    } catch {
      path = '/';
    }
  }
  return `${visit}\u0000${c.name}\u0000${domain}\u0000${path}`;
}

/**
 * The value of an attribute when a rule may rely on it: not `'unknown'`, not of unknown provenance.
 * Environment-dependent values are left out too: cookie-secure-env-dependent judges those.
 */
export function known<T>(attr: Attr<T> | undefined): T | undefined {
  if (!attr) return undefined;
  if (attr.value === 'unknown') return undefined;
  if (attr.provenance.kind === 'unknown' || attr.provenance.kind === 'env-dependent') return undefined;
  return attr.value as T;
}

/** The Domain attribute as browsers store it: leading dot stripped, lowercased; undefined when absent, empty or unknown. */
export function domainAttribute(c: CookieObservation): string | undefined {
  const d = known(c.domain);
  if (d === undefined) return undefined;
  const v = (d.startsWith('.') ? d.slice(1) : d).toLowerCase();
  return v === '' ? undefined : v;
}

/** Hostname of a URL (lowercased, IPv6 without brackets), or null. */
export function hostOf(url: string | undefined | null): string | null {
  if (!url) return null;
  // Rules ask for the host of the same URLs again and again (a cookie's URL, the HSTS of that URL).
  let host = hostByUrl.get(url);
  if (host === undefined) {
    host = parseHost(url);
    if (hostByUrl.size >= 4096) hostByUrl.clear();
    hostByUrl.set(url, host);
  }
  return host;
}

const hostByUrl = new Map<string, string | null>();

function parseHost(url: string): string | null {
  const simple = simpleHost(url);
  if (simple !== undefined) return simple;
  try {
    const h = new URL(url).hostname.toLowerCase();
    return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
  } catch {
    return null;
  }
}

/**
 * The hostname of an `http://` or `https://` URL whose host the WHATWG URL parser would leave as
 * it is: lowercase LDH labels (none empty, none starting or ending with `-`, no `--`, so no
 * punycode), or an IPv4 address in canonical dotted-decimal form, then an optional valid port and
 * the end of the URL, `/`, `?` or `#`. Undefined for anything else, which `new URL` then parses:
 * rules ask for the host of thousands of collector URLs per run, nearly all of this simple form.
 */
function simpleHost(url: string): string | undefined {
  let start: number;
  if (url.startsWith('https://')) start = 8;
  else if (url.startsWith('http://')) start = 7;
  else return undefined;
  const n = url.length;
  let i = start;
  let labelStart = start;
  let lastLabelStart = start;
  let labels = 0;
  for (; i <= n; i++) {
    const ch = i < n ? url.charCodeAt(i) : -1;
    if ((ch >= 0x61 && ch <= 0x7a) || (ch >= 0x30 && ch <= 0x39)) continue; // a-z 0-9
    if (ch === 0x2d) {
      // '-': not first or last in a label, never doubled
      if (i === labelStart || url.charCodeAt(i + 1) === 0x2d) return undefined;
      continue;
    }
    // end of a label
    if (i === labelStart || i - labelStart > 63 || url.charCodeAt(i - 1) === 0x2d) return undefined;
    labels++;
    if (ch !== 0x2e) break; // not '.': the host ends here
    labelStart = i + 1;
    lastLabelStart = labelStart;
  }
  const end = i;
  if (end - start > 253) return undefined;
  // An optional port (at most 65535), then the end of the authority.
  if (i < n && url.charCodeAt(i) === 0x3a) {
    const portStart = ++i;
    while (i < n && url.charCodeAt(i) >= 0x30 && url.charCodeAt(i) <= 0x39) i++;
    if (i - portStart > 5 || (i - portStart === 5 && Number(url.slice(portStart, i)) > 65535))
      return undefined;
  }
  if (i < n) {
    const ch = url.charCodeAt(i);
    if (ch !== 0x2f && ch !== 0x3f && ch !== 0x23) return undefined; // '/', '?', '#'
  }
  // A last label starting with a digit makes the host an IPv4 address: only the canonical form is kept as is.
  const first = url.charCodeAt(lastLabelStart);
  if (first >= 0x30 && first <= 0x39 && !isCanonicalIpv4(url, start, end, labels)) return undefined;
  return url.slice(start, end);
}

/** `a.b.c.d`, each part 0-255 in decimal without leading zeros (the parser's own serialization). */
function isCanonicalIpv4(url: string, start: number, end: number, labels: number): boolean {
  if (labels !== 4) return false;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const ch = i < end ? url.charCodeAt(i) : 0x2e;
    if (ch === 0x2e) {
      if (digits === 0 || value > 255) return false;
      value = 0;
      digits = 0;
    } else if (ch >= 0x30 && ch <= 0x39) {
      if (digits === 1 && value === 0) return false; // leading zero
      value = value * 10 + (ch - 0x30);
      digits++;
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Loopback hosts that Chrome (89+) and Firefox (75+) treat as potentially trustworthy, so a
 * Secure cookie set over http:// there is kept; Safari does not: the parser's own test.
 */
export { isLoopbackHost };

// Regular expressions of hot paths live in constants: a literal makes a new object at each evaluation.
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function isIpAddress(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

/** True when the cookie came in a plain-HTTP response (live, browser, har). */
export function deliveredOverHttp(c: CookieObservation): boolean {
  return c.delivery?.scheme === 'http';
}

/** A Secure cookie set by a plain-HTTP response from a loopback host: kept by Chrome and Firefox, not Safari. */
export function secureOverLoopbackHttp(c: CookieObservation): boolean {
  if (!deliveredOverHttp(c) || known(c.secure) !== true) return false;
  const host = hostOf(c.delivery?.url);
  return host !== null && isLoopbackHost(host);
}

/** One `cookie-av` of a raw Set-Cookie header, as sent (name trimmed, value trimmed, null without `=`). */
export interface RawAttribute {
  name: string;
  value: string | null;
  text: string;
}

/**
 * The attributes of a raw Set-Cookie header value (with or without its `Set-Cookie:` name), split
 * as RFC 6265bis §5.6 does: the name-value pair ends at the first `;`, attributes are `;`-separated.
 */
export function rawAttributes(raw: string): RawAttribute[] {
  const colon = setCookieNameColon(raw);
  const line = colon !== -1 ? raw.slice(colon + 1) : raw;
  const out: RawAttribute[] = [];
  for (const part of line.split(';').slice(1)) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim();
    const value = eq === -1 ? null : part.slice(eq + 1).trim();
    if (name === '' && (value ?? '') === '') continue;
    out.push({ name, value, text: part.trim() });
  }
  return out;
}

/** The last occurrence of an attribute (case-insensitive), which is the one browsers use. */
export function lastRawAttribute(raw: string, name: string): RawAttribute | undefined {
  const all = rawAttributes(raw).filter((a) => a.name.toLowerCase() === name);
  return all[all.length - 1];
}

/** Octets of name + value when known. */
export function cookieSize(c: CookieObservation): number | undefined {
  if (typeof c.size === 'number') return c.size;
  if (c.value === undefined) return undefined;
  return Buffer.byteLength(c.name, 'utf8') + Buffer.byteLength(c.value, 'utf8');
}

/**
 * What breaks a cookie prefix's requirements (RFC 6265bis "Cookie Name Prefixes"), in words.
 * Only known attribute values count; a live cookie without a Path attribute breaks `__Host-`, a code
 * cookie whose path is not stated is not judged.
 */
export function prefixProblems(c: CookieObservation): string[] {
  const problems: string[] = [];
  if (c.prefix === null) return problems;
  const secure = known(c.secure);
  if (secure === false) problems.push(`${c.prefix} requires Secure`);
  if (c.prefix === '__Host-') {
    const domain = domainAttribute(c);
    if (domain !== undefined) problems.push(`__Host- forbids a Domain attribute (Domain=${domain})`);
    // A live header must carry Path=/ itself: the default-path does not count (RFC 6265bis §5.7 step 21).
    const sentPath = c.raw !== undefined ? lastRawAttribute(c.raw, 'path') : undefined;
    const path = c.raw !== undefined ? (sentPath?.value ?? undefined) : known(c.path);
    if (c.raw !== undefined && sentPath === undefined)
      problems.push('__Host- requires a Path=/ attribute (none was sent)');
    else if (path !== undefined && path !== '/') problems.push(`__Host- requires Path=/ (Path=${path})`);
  }
  return problems;
}

/** Why a live cookie's Domain makes browsers drop it, or null when the Domain is acceptable. */
export function domainProblem(c: CookieObservation): string | null {
  const domain = domainAttribute(c);
  if (domain === undefined) return null;
  const host = hostOf(c.delivery?.url);
  if (host === null) return null;
  if (isIpAddress(host))
    return domain === host ? null : `the host ${host} is an IP address, which only Domain=${host} matches`;
  if (domain !== host && isPublicSuffix(domain)) return `${domain} is a public suffix`;
  if (!domainMatch(host, domain, false)) return `${domain} is not ${host} nor a parent domain of it`;
  return null;
}

/** Public suffix per the Public Suffix List shipped with tough-cookie; special-use names are not judged. */
export function isPublicSuffix(domain: string): boolean {
  if (domain === '' || domain === 'localhost') return false;
  try {
    const registrable = getPublicSuffix(domain);
    return registrable === undefined || registrable === null;
  } catch {
    return false;
  }
}

/**
 * Every storage-model reason a browser would drop this cookie: what the collector computed
 * (`rejectedBy`, live) plus what follows from the attributes (code observations have no
 * rejectedBy). `SecureOnly` on a loopback host is not a rejection here (Chrome and Firefox keep
 * the cookie): cookie-secure-over-http reports that case on its own.
 */
export function rejections(c: CookieObservation): readonly RejectionReason[] {
  return rejectionsOf(c).reasons;
}

interface Rejections {
  reasons: readonly RejectionReason[];
  /** The first of `reasons` in REJECTION_PRIORITY order, or null. */
  primary: RejectionReason | null;
}

/**
 * Every rule asks for a cookie's rejections; they are computed once per observation object.
 * Observations are values: collectors build them once and nothing mutates them afterwards.
 */
const rejectionCache = new WeakMap<CookieObservation, Rejections>();

const NOT_REJECTED: Rejections = Object.freeze({ reasons: Object.freeze([]), primary: null });

function rejectionsOf(c: CookieObservation): Rejections {
  let r = rejectionCache.get(c);
  if (r === undefined) {
    r = computeRejections(c);
    rejectionCache.set(c, r);
  }
  return r;
}

function computeRejections(c: CookieObservation): Rejections {
  const secure = known(c.secure);
  const sameSiteNoneInsecure = secure === false && known(c.sameSite) === 'none';
  const invalidPrefix = c.prefix !== null && prefixProblems(c).length > 0;
  const size = cookieSize(c);
  const oversized = size !== undefined && size > MAX_NAME_VALUE_OCTETS;
  const secureOnly = secure === true && deliveredOverHttp(c);
  const invalidDomain = domainProblem(c) !== null;
  const collected = c.rejectedBy;
  if (
    (collected === undefined || collected.length === 0) &&
    !sameSiteNoneInsecure &&
    !invalidPrefix &&
    !oversized &&
    !secureOnly &&
    !invalidDomain
  )
    return NOT_REJECTED;
  const out = new Set<RejectionReason>(collected ?? []);
  if (sameSiteNoneInsecure) out.add('SameSiteNoneInsecure');
  if (invalidPrefix) out.add('InvalidPrefix');
  if (oversized) out.add('NameValuePairExceedsMaxSize');
  if (secureOnly) out.add('SecureOnly');
  if (invalidDomain) out.add('InvalidDomain');
  if (out.has('SecureOnly') && secureOverLoopbackHttp(c)) out.delete('SecureOnly');
  const reasons = [...out];
  let primary: RejectionReason | null = null;
  for (const reason of REJECTION_PRIORITY) {
    if (reasons.includes(reason)) {
      primary = reason;
      break;
    }
  }
  return { reasons, primary };
}

/**
 * When a cookie is dropped for several reasons, one finding is reported (one consequence, one
 * finding), the first of this list: a header browsers cannot parse, then its size, then the scheme
 * it came over, then its Domain, prefix and SameSite, then the overwrite of a Secure cookie.
 */
export const REJECTION_PRIORITY: readonly RejectionReason[] = [
  'SyntaxError',
  'DisallowedCharacter',
  'NameValuePairExceedsMaxSize',
  'SecureOnly',
  'InvalidDomain',
  'InvalidPrefix',
  'SameSiteNoneInsecure',
  'OverwriteSecure',
  'BlockedByBrowser',
];

export function primaryRejection(c: CookieObservation): RejectionReason | null {
  return rejectionsOf(c).primary;
}

export function isRejected(c: CookieObservation): boolean {
  return primaryRejection(c) !== null;
}

/** The other reasons a rejected cookie is dropped for, in words, for the rejection's message. */
export function otherRejections(c: CookieObservation, primary: RejectionReason): string[] {
  const reasons = rejections(c);
  return REJECTION_PRIORITY.filter((r) => r !== primary && reasons.includes(r)).map(
    (r) => REJECTION_WORDS[r],
  );
}

export const REJECTION_WORDS: Record<RejectionReason, string> = {
  SyntaxError: 'the header is malformed',
  DisallowedCharacter: 'the name or value holds a control character',
  NameValuePairExceedsMaxSize: 'name and value exceed 4096 bytes',
  SecureOnly: 'it is Secure but set over plain HTTP',
  InvalidDomain: 'its Domain does not match the host',
  InvalidPrefix: "it breaks its name prefix's requirements",
  SameSiteNoneInsecure: 'SameSite=None without Secure',
  OverwriteSecure: 'it would overwrite a Secure cookie from plain HTTP',
  BlockedByBrowser: 'Chromium blocked it',
};

// ---------------------------------------------------------------------------------------------
// Severity

const ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high'];

function lower(s: Severity, steps: number, floor: Severity = 'info'): Severity {
  const i = Math.max(ORDER.indexOf(s) - steps, ORDER.indexOf(floor));
  return ORDER[Math.min(i, ORDER.indexOf(s))]!;
}

/**
 * Severity of a cookie problem given the severity for a session cookie (principle 2 of
 * spec/findings.md): session/auth cookies get `base`; CSRF and unrecognised cookies one step lower
 * (not below low); preference, analytics and infrastructure cookies low (or info when `base` is
 * already low), and info when a vendor controls the cookie; anything found in test code is info.
 */
export function cookieSeverity(
  base: Severity,
  c: Pick<CookieObservation, 'classification' | 'inTestCode'>,
): Severity {
  if (c.inTestCode) return 'info';
  switch (c.classification.category) {
    case 'session':
      return base;
    case 'csrf':
    case 'unknown':
      return lower(base, 1, base === 'info' ? 'info' : 'low');
    case 'preference':
    case 'analytics':
    case 'infrastructure':
      if (c.classification.vendor) return 'info';
      return base === 'high' || base === 'medium' ? 'low' : 'info';
  }
}

/** One step down (not below `floor`), e.g. a Domain equal to the exact host. */
export function lowerSeverity(s: Severity, floor: Severity = 'info'): Severity {
  return lower(s, 1, floor);
}

// ---------------------------------------------------------------------------------------------
// Words

const CATEGORY_LABEL: Record<CookieCategory, string> = {
  session: 'session cookie',
  csrf: 'CSRF cookie',
  preference: 'preference cookie',
  analytics: 'analytics cookie',
  infrastructure: 'infrastructure cookie',
  unknown: 'cookie',
};

/** `connect.sid`, or `(nameless)` for a cookie without a name. */
export function cookieLabel(name: string): string {
  return name === '' ? '(nameless)' : name;
}

/**
 * Names the cookie and why it was judged what it is, e.g. "The session cookie connect.sid
 * (express-session's default session cookie)"; vendor cookies say "vendor-controlled".
 */
export function describeCookie(c: CookieObservation): string {
  const cl = c.classification;
  const subject =
    c.name === ''
      ? `A nameless ${CATEGORY_LABEL[cl.category]}`
      : `The ${CATEGORY_LABEL[cl.category]} ${c.name}`;
  let why = cl.reason ? cl.reason : '';
  if (cl.vendor && !saysVendorControlled(cl.reason))
    why = why !== '' ? `${why}; vendor-controlled: ${cl.vendor}` : `vendor-controlled: ${cl.vendor}`;
  return why !== '' ? `${subject} (${why})` : subject;
}

const VENDOR_CONTROLLED = /vendor-controlled/i;

function saysVendorControlled(reason: string): boolean {
  // Usually in lower case: a plain search spares the case-insensitive one.
  return (
    (typeof reason === 'string' && reason.includes('vendor-controlled')) || VENDOR_CONTROLLED.test(reason)
  );
}

/** Framework whose advice fits this cookie: the one that produced it, else the one its name points to. */
export function cookieFramework(c: CookieObservation): string | undefined {
  return c.framework ?? c.classification.framework;
}

/** "Secure only for …" rendering of a value per environment. */
export function renderSecureValue(v: unknown): string {
  if (v === true || v === 'true' || v === 1 || v === '1') return 'Secure';
  if (v === 'auto') return 'Secure when the request is HTTPS';
  if (v === false || v === 'false' || v === 0 || v === '0' || v === null || v === undefined || v === '')
    return 'not Secure';
  return `unresolved (${String(v)})`;
}

export function isFalsySetting(v: unknown): boolean {
  return v === false || v === 'false' || v === 0 || v === '0' || v === null || v === undefined || v === '';
}

/** What an environment's Secure value amounts to: Secure (or following the request), not Secure, or unresolved. */
export function secureKind(v: unknown): 'secure' | 'insecure' | 'unresolved' {
  if (v === true || v === 'true' || v === 1 || v === '1' || v === 'auto') return 'secure';
  if (isFalsySetting(v)) return 'insecure';
  return 'unresolved';
}

/**
 * How an environment-dependent Secure turns out across the environments that resolved: Secure in
 * some (`varies`: cookie-secure-env-dependent), Secure in none that resolved while one resolves to
 * not Secure (`never`: cookie-missing-secure, the unresolved ones named), or none resolved
 * (`unresolved`: cookie-config-unresolved). Null when the provenance is not environment-dependent.
 */
export function secureAcrossEnvironments(
  attr: Attr<unknown>,
): { outcome: 'varies' | 'never' | 'unresolved'; insecure: string[]; unresolved: string[] } | null {
  const p = attr.provenance;
  if (p.kind !== 'env-dependent') return null;
  const insecure: string[] = [];
  const unresolved: string[] = [];
  let secure = 0;
  for (const env of Object.keys(p.perEnvironment).sort()) {
    const k = secureKind(p.perEnvironment[env]);
    if (k === 'secure') secure++;
    else if (k === 'insecure') insecure.push(env);
    else unresolved.push(env);
  }
  const outcome = secure > 0 ? 'varies' : insecure.length > 0 ? 'never' : 'unresolved';
  return { outcome, insecure, unresolved };
}

/** Environment names that mean production. */
export function isProductionName(env: string): boolean {
  return /^(?:[\w.]+=)?(prod|production|live|prd)$/i.test(env.trim());
}

/** 86400 → "1 day", 1209600 → "14 days", 3600 → "1 hour". */
export function humanDuration(seconds: number): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (seconds >= 86400 && seconds % 86400 === 0) return plural(seconds / 86400, 'day');
  if (seconds >= 86400) return plural(Math.round(seconds / 86400), 'day');
  if (seconds >= 3600) return plural(Math.round(seconds / 3600), 'hour');
  if (seconds >= 60) return plural(Math.round(seconds / 60), 'minute');
  return plural(seconds, 'second');
}

/**
 * Why a code attribute has its value, for messages: the code that set it (`session.cookie_secure =
 * Off`), or the framework default that applies (`express-session's default (cookie.secure: false)`).
 */
export function provenanceWhy(attr: Attr<unknown> | undefined, fallback: string): string {
  if (!attr) return fallback;
  const p = attr.provenance;
  if (p.kind === 'framework-default') {
    // A version may already name the framework ("express 4.21 / 5.1").
    const who = !p.version
      ? p.framework
      : p.version.toLowerCase().startsWith(p.framework.toLowerCase())
        ? p.version
        : `${p.framework} ${p.version}`;
    return `${who}'s default${p.note ? ` (${p.note})` : ''}`;
  }
  if (attr.evidence) return `\`${attr.evidence.trim()}\``;
  return fallback;
}

/** `http://host/` of a URL, for "browsers also send it to …". */
export function httpTwinOf(url: string | undefined): string | null {
  return httpTwinOfHost(hostOf(url));
}

/** `http://host/` of a host as hostOf returns it. */
export function httpTwinOfHost(host: string | null): string | null {
  return host === null ? null : `http://${host.includes(':') ? `[${host}]` : host}/`;
}

/** Same scheme, host and port. */
export function sameOrigin(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
