/**
 * A Set-Cookie parser that follows what user agents do, not what servers should send.
 *
 * Source of every rule below: draft-ietf-httpbis-rfc6265bis-22 ("Cookies: HTTP State Management
 * Mechanism"), section 5 (User Agent Requirements):
 *   §5.1.1 cookie-date parsing, §5.1.3 domain matching, §5.1.4 default-path,
 *   §5.4 cookie name prefixes (matched case-insensitively), §5.5 lifetime limit (400 days),
 *   §5.6 the Set-Cookie parsing algorithm, §5.6.1-§5.6.7 the attributes,
 *   §5.7 the storage model (the steps that make a browser ignore a cookie).
 *
 * Libraries (tough-cookie, set-cookie-parser) hide the details a security review needs (see
 * /work/shared/knowledge/browser-rules.md), so this module parses the raw header itself and only
 * borrows tough-cookie's public-suffix list and domain matching.
 *
 * Input model: header values as Node's HTTP stack and undici deliver them, i.e. "byte strings"
 * (latin1: one char per octet). A string holding code points above U+00FF cannot be a byte string,
 * so such a string is measured as UTF-8 instead.
 *
 * Guarantees: never throws, runs in time linear in the input (one pass to split, one per segment).
 */
import { createRequire } from 'node:module';
import type { CookieLifetime, ParseIssue, RejectionReason, SameSiteValue } from '../model/observation.js';

/** §5.6 step 5 / §5.7 step 4: name + value longer than this are ignored. */
export const MAX_NAME_VALUE_OCTETS = 4096;
/** §5.6 step 6 of the attribute algorithm: an attribute value longer than this is ignored. */
export const MAX_ATTRIBUTE_VALUE_OCTETS = 1024;
/** §5.5: the RECOMMENDED (and in Chrome 104+ / Firefox / Safari applied) lifetime limit: 400 days. */
export const MAX_LIFETIME_SECONDS = 400 * 24 * 60 * 60; // 34560000

export interface ParsedSetCookieAttributes {
  /** `Secure` present in any form (`Secure=false` still sets it: §5.6.5 ignores the value). */
  secure: boolean;
  httpOnly: boolean;
  /** Last SameSite attribute (§5.7 step 17); 'invalid' for an unknown value, 'unset' when absent. */
  sameSite: SameSiteValue;
  /** The raw value of the SameSite attribute that decided `sameSite` (as sent, not lowercased). */
  sameSiteRaw?: string;
  /** Last Domain attribute, leading dot stripped and lowercased (§5.6.3). '' for `Domain=`. */
  domain?: string;
  /** Last Path attribute; a value not starting with `/` is replaced by the default-path (§5.6.4). */
  path?: string;
  /** Last valid Max-Age, in seconds, before the 400-day cap. */
  maxAge?: number;
  /** Last valid Expires, parsed with the cookie-date algorithm (§5.1.1), before the cap. */
  expires?: Date;
  /** CHIPS `Partitioned` (not part of 6265bis; Chrome requires Secure with it). */
  partitioned: boolean;
}

/** The raw `cookie-av` text (trimmed) of the attribute occurrence that decided each attribute. */
export interface ParsedSetCookieEvidence {
  secure?: string;
  httpOnly?: string;
  sameSite?: string;
  domain?: string;
  path?: string;
  maxAge?: string;
  expires?: string;
  partitioned?: string;
}

export interface ParsedSetCookie {
  /** Cookie name with surrounding spaces/tabs removed (§5.6 step 4); '' for a nameless cookie. */
  name: string;
  value: string;
  /** No `=` in the name-value pair, or an empty name: browsers store a cookie with an empty name. */
  nameless: boolean;
  /** Frozen (shared by the headers of one host and scheme with the same attribute text). */
  attributes: Readonly<ParsedSetCookieAttributes>;
  /** Frozen, as `attributes`. */
  evidence: Readonly<ParsedSetCookieEvidence>;
  /** Frozen: shared by headers with the same lifetime. */
  lifetime: Readonly<CookieLifetime>;
  /** Max-Age <= 0, or (without Max-Age) an Expires not in the future: the header deletes the cookie. */
  deletion: boolean;
  /** Prefix of the name, matched case-insensitively (§5.4). */
  prefix: '__Secure-' | '__Host-' | null;
  /** Frozen and shared when empty. */
  issues: readonly ParseIssue[];
  /** Storage-model reasons (§5.7) for which a browser would not store the cookie. Empty: it is stored. */
  /** Frozen and shared when empty. */
  rejectedBy: readonly RejectionReason[];
  /** Octets of name + value (§5.6 step 5). */
  size: number;
  /** Nothing cookie-like comes out of the header: empty name and empty value (after spaces / CTLs). */
  ignoredEntirely: boolean;
  /** §5.7 step 10: true when the cookie is bound to the exact request host (no usable Domain). */
  hostOnly: boolean;
  /** Domain the cookie would be stored under (request host when host-only). Undefined if the URL is unusable. */
  effectiveDomain?: string;
  /** Path the cookie would be stored under (Path attribute, else the default-path, §5.1.4). */
  effectivePath: string;
  /** The response came over a secure channel (https: / wss:). */
  secureTransport: boolean;
  /**
   * The response came over plain HTTP from a loopback host (localhost, *.localhost, 127.0.0.0/8,
   * [::1]). Chrome (89+) and Firefox (75+) treat such origins as secure contexts and keep `Secure`
   * cookies from them; Safari does not. A `SecureOnly` rejection is then browser-dependent.
   */
  loopbackSecureContext: boolean;
  /** Lowercased request host (WHATWG URL hostname), when the request URL could be parsed. */
  requestHost?: string;
}

/** What most headers share (frozen): no issue, no rejection, a session lifetime. */
const NO_ISSUES: readonly ParseIssue[] = Object.freeze([]);
const NO_REJECTIONS: readonly RejectionReason[] = Object.freeze([]);
const SESSION_LIFETIME: Readonly<CookieLifetime> = Object.freeze({ kind: 'session' });
const DELETION_LIFETIME: Readonly<CookieLifetime> = Object.freeze({ kind: 'persistent', seconds: 0 });
const CAPPED_LIFETIME: Readonly<CookieLifetime> = Object.freeze({
  kind: 'persistent',
  seconds: MAX_LIFETIME_SECONDS,
  capped: true,
});

/** At most this many issues of one code are kept; the rest are summarised in one line. */
const MAX_ISSUES_PER_CODE = 5;

/**
 * Issues with a cap per code, so a header with 100 000 bogus attributes stays small: the first
 * MAX_ISSUES_PER_CODE of each code are kept, the others only counted. A part of a header the
 * parser remembers (see attributePart) logs its issues in one, to replay them into the header's
 * IssueSink.
 */
class IssueLog {
  readonly list: ParseIssue[] = [];
  /** Issues beyond the cap, per code (not kept). */
  extra: Map<ParseIssue['code'], number> | null = null;
  /** Made on the first issue only: most headers have none. */
  protected counts: Map<ParseIssue['code'], number> | null = null;
  push(issue: ParseIssue): void {
    this.counts ??= new Map();
    const n = (this.counts.get(issue.code) ?? 0) + 1;
    this.counts.set(issue.code, n);
    if (n <= MAX_ISSUES_PER_CODE) this.list.push(issue);
    else (this.extra ??= new Map()).set(issue.code, n - MAX_ISSUES_PER_CODE);
  }
}

/** The issues of one header: a log that also takes the logs of its parts and sums up what it dropped. */
class IssueSink extends IssueLog {
  /** Push what a part of the header logged, in its order, with the issues its cap dropped. */
  replay(log: IssueLog): void {
    for (let i = 0; i < log.list.length; i++) this.push(log.list[i]!);
    if (log.extra === null) return;
    for (const [code, n] of log.extra) this.counts!.set(code, (this.counts!.get(code) ?? 0) + n);
  }
  finish(): readonly ParseIssue[] {
    if (this.counts === null) return this.list.length === 0 ? NO_ISSUES : this.list;
    for (const [code, n] of this.counts) {
      if (n > MAX_ISSUES_PER_CODE) {
        this.list.push({
          code,
          message: `${n - MAX_ISSUES_PER_CODE} more issue(s) of this kind (${code}) not listed`,
        });
      }
    }
    return this.list;
  }
}

const SPACE = 0x20;
const HTAB = 0x09;

function isWsp(c: number): boolean {
  return c === SPACE || c === HTAB;
}

/** CTL characters that make a browser ignore the cookie: %x00-08 / %x0A-1F / %x7F (§5.6 step 1). */
function isForbiddenCtl(c: number): boolean {
  return c <= 0x08 || (c >= 0x0a && c <= 0x1f) || c === 0x7f;
}

/** Remove leading and trailing WSP (space, tab) only: §5.6 step 4 / attribute step 5. */
function trimWsp(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isWsp(s.charCodeAt(start))) start++;
  while (end > start && isWsp(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Octet length of a header string. A byte string (every code unit <= 0xFF) is one octet per char;
 * anything else is measured as UTF-8 (lone surrogates count as the 3 octets of U+FFFD).
 */
export function octetLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) return Buffer.byteLength(s, 'utf8');
  }
  return s.length;
}

function hex4(c: number): string {
  return 'U+' + c.toString(16).toUpperCase().padStart(4, '0');
}

// ---------------------------------------------------------------------------------------------
// §5.1.1 cookie-date

function isDateDelimiter(c: number): boolean {
  // delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
  return (
    c === 0x09 ||
    (c >= 0x20 && c <= 0x2f) ||
    (c >= 0x3b && c <= 0x40) ||
    (c >= 0x5b && c <= 0x60) ||
    (c >= 0x7b && c <= 0x7e)
  );
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Count of leading DIGITs from `from`, but stops counting after `max + 1` (we only need to know > max). */
function leadingDigits(s: string, from: number, max: number): number {
  let n = 0;
  while (from + n < s.length && n <= max && isDigit(s.charCodeAt(from + n))) n++;
  return n;
}

/** `1*2DIGIT` (or 2*4 for years) followed by end of token or a non-digit: the rest of the token is ignored. */
function matchNumber(tok: string, min: number, max: number): number | null {
  const n = leadingDigits(tok, 0, max);
  if (n < min || n > max) return null;
  return Number(tok.slice(0, n));
}

function matchTime(tok: string): [number, number, number] | null {
  // time = hms-time [ non-digit *OCTET ];  hms-time = time-field ":" time-field ":" time-field
  const out: number[] = [];
  let i = 0;
  for (let f = 0; f < 3; f++) {
    const n = leadingDigits(tok, i, 2);
    if (n < 1 || n > 2) return null;
    out.push(Number(tok.slice(i, i + n)));
    i += n;
    if (f < 2) {
      if (tok.charCodeAt(i) !== 0x3a) return null; // ':'
      i++;
    }
  }
  return [out[0]!, out[1]!, out[2]!];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function matchMonth(tok: string): number | null {
  if (tok.length < 3) return null;
  const idx = MONTHS.indexOf(tok.slice(0, 3).toLowerCase());
  return idx === -1 ? null : idx;
}

/**
 * Parse a cookie-date as §5.1.1 says user agents must (not Date.parse). Returns null when the
 * algorithm fails. Linear in the input length.
 */
export function parseCookieDate(input: string): Date | null {
  let time: [number, number, number] | null = null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;

  let i = 0;
  const len = input.length;
  while (i < len) {
    while (i < len && isDateDelimiter(input.charCodeAt(i))) i++;
    const start = i;
    while (i < len && !isDateDelimiter(input.charCodeAt(i))) i++;
    if (i === start) break;
    // Only the first few characters of a token can matter; cap the slice so a huge token stays cheap.
    const tok = input.slice(start, Math.min(i, start + 16));
    if (time === null) {
      const t = matchTime(tok);
      if (t) {
        time = t;
        continue;
      }
    }
    if (day === null) {
      const d = matchNumber(tok, 1, 2);
      if (d !== null) {
        day = d;
        continue;
      }
    }
    if (month === null) {
      const m = matchMonth(tok);
      if (m !== null) {
        month = m;
        continue;
      }
    }
    if (year === null) {
      const y = matchNumber(tok, 2, 4);
      if (y !== null) {
        year = y;
        continue;
      }
    }
  }
  if (time === null || day === null || month === null || year === null) return null;
  // Steps 3 and 4: two-digit years.
  if (year >= 70 && year <= 99) year += 1900;
  else if (year >= 0 && year <= 69) year += 2000;
  const [h, mi, s] = time;
  // Step 5.
  if (day < 1 || day > 31 || year < 1601 || h > 23 || mi > 59 || s > 59) return null;
  // Step 6: the date must exist (no 31 February).
  const ms = Date.UTC(year, month, day, h, mi, s);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== day) return null;
  return d;
}

// ---------------------------------------------------------------------------------------------
// Request URL facts

interface RequestFacts {
  host: string;
  secure: boolean;
  loopback: boolean;
  isIp: boolean;
  defaultPath: string;
  /** Attribute parts already worked out for this host and scheme (see attributePart). */
  attributeMemo: Map<string, AttributePart>;
}

/** §5.1.4 default-path of a request path. */
export function defaultPathOf(uriPath: string): string {
  if (uriPath === '' || uriPath.charCodeAt(0) !== 0x2f) return '/';
  const last = uriPath.lastIndexOf('/');
  if (last === 0) return '/';
  return uriPath.slice(0, last);
}

function isIpv4(host: string): boolean {
  // WHATWG URL already normalised IPv4 forms (0x7f.1 → 127.0.0.1): four dot-separated decimal
  // numbers of one to three digits, each at most 255. A plain scan: this runs for every cookie.
  const len = host.length;
  if (len < 7 || len > 15) return false;
  let parts = 0;
  let digits = 0;
  let n = 0;
  for (let i = 0; i <= len; i++) {
    const c = i === len ? 0x2e : host.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || n > 255) return false;
      parts++;
      digits = 0;
      n = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return false;
      n = n * 10 + (c - 0x30);
    } else {
      return false;
    }
  }
  return parts === 4;
}

/** An IPv4 address or a bracketed / bare IPv6 address (as a Domain attribute may spell one). */
function isIpLiteral(s: string): boolean {
  return s.startsWith('[') || s.includes(':') || isIpv4(s);
}

/** Loopback hosts browsers treat as potentially trustworthy (W3C Secure Contexts §3.2). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '[::1]' || h === '::1') return true;
  return isIpv4(h) && h.startsWith('127.');
}

/**
 * Facts of the last request URLs seen: the cookies of one response share its URL, and a run sees
 * each URL a few times (parse + rules). Bounded; entries are immutable.
 */
const factsCache = new Map<string, RequestFacts | null>();
const FACTS_CACHE_MAX = 256;

/**
 * Facts of the last URL object asked about: the live collector passes the URL it requested, and
 * the cookies of one response come one after the other. (A WeakMap per URL object cost more: an
 * entry per request, and the garbage collector's work on its ephemeron table.)
 */
let lastUrl: URL | null = null;
let lastUrlFacts: RequestFacts | null = null;

function requestFacts(requestUrl: string | URL): RequestFacts | null {
  if (requestUrl instanceof URL) {
    if (requestUrl !== lastUrl) {
      lastUrlFacts = factsOf(requestUrl);
      lastUrl = requestUrl;
    }
    return lastUrlFacts;
  }
  const hit = factsCache.get(requestUrl);
  if (hit !== undefined) return hit;
  const facts = computeRequestFacts(requestUrl);
  if (factsCache.size >= FACTS_CACHE_MAX) factsCache.clear();
  factsCache.set(requestUrl, facts);
  return facts;
}

/** The attribute memos, one per host and scheme; emptied when a run meets very many hosts. */
const attributeMemos = new Map<string, Map<string, AttributePart>>();
const ATTRIBUTE_MEMO_HOSTS_MAX = 256;

function attributeMemoFor(host: string, secure: boolean): Map<string, AttributePart> {
  const key = secure ? `s:${host}` : `i:${host}`;
  let memo = attributeMemos.get(key);
  if (memo === undefined) {
    if (attributeMemos.size >= ATTRIBUTE_MEMO_HOSTS_MAX) attributeMemos.clear();
    memo = new Map();
    attributeMemos.set(key, memo);
  }
  return memo;
}

function computeRequestFacts(requestUrl: string): RequestFacts | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  return factsOf(u);
}

function factsOf(u: URL): RequestFacts | null {
  const host = u.hostname.toLowerCase();
  if (host === '') return null;
  const isIp = host.startsWith('[') || isIpv4(host);
  const secure = u.protocol === 'https:' || u.protocol === 'wss:';
  return Object.freeze({
    host,
    secure,
    loopback: isLoopbackHost(host),
    isIp,
    defaultPath: defaultPathOf(u.pathname),
    attributeMemo: attributeMemoFor(host, secure),
  });
}

// tough-cookie (and its Public Suffix List) is loaded on the first cookie with a Domain attribute:
// importing it costs about 35 ms, in every scan worker thread, and most files never need it.
const require = createRequire(import.meta.url);
let tc: typeof import('tough-cookie') | undefined;
function toughCookie(): typeof import('tough-cookie') {
  return (tc ??= require('tough-cookie') as typeof import('tough-cookie'));
}

/**
 * Is `domain` a public suffix (co.uk, github.io, com)? Uses tough-cookie's Public Suffix List
 * support: its `getPublicSuffix` returns the registrable domain (eTLD+1), or nothing when the input
 * is itself a suffix. Special-use TLDs (test, example, local, invalid, localhost) are suffixes too,
 * which tough-cookie signals by throwing; "localhost" itself is allowed as a host.
 */
export function isPublicSuffix(domain: string): boolean {
  if (domain === '' || domain === 'localhost') return false;
  try {
    const registrable = toughCookie().getPublicSuffix(domain, { allowSpecialUseDomain: true });
    return registrable === undefined || registrable === null;
  } catch {
    return true;
  }
}

/** §5.1.3 domain-match (both inputs canonical, lowercase). IP addresses only match themselves. */
export function domainMatches(host: string, domain: string): boolean {
  if (host === domain) return true;
  if (host.startsWith('[') || isIpv4(host)) return false;
  try {
    return toughCookie().domainMatch(host, domain, false) === true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// The parser

/** The attributes §5.6 knows (lowercase), plus CHIPS `Partitioned`. */
const KNOWN_ATTRIBUTES = [
  'expires',
  'max-age',
  'domain',
  'path',
  'secure',
  'httponly',
  'samesite',
  'partitioned',
];

/** A forbidden CTL or a non-ASCII octet (the cases of §5.6 step 1's scan that say something). */
// eslint-disable-next-line no-control-regex
const UNUSUAL_CHAR = /[\x00-\x08\x0a-\x1f\x7f-\uffff]/;

/** RFC 9110 separators (not token characters) a cookie name should not hold, except ':'. */
const NAME_SEPARATOR = /[ \t"(),/;<=>?@[\\\]{}]/;

function emptyResult(): ParsedSetCookie {
  return {
    name: '',
    value: '',
    nameless: true,
    attributes: { secure: false, httpOnly: false, sameSite: 'unset', partitioned: false },
    evidence: {},
    lifetime: { kind: 'session' },
    deletion: false,
    prefix: null,
    issues: [],
    rejectedBy: [],
    size: 0,
    ignoredEntirely: true,
    hostOnly: true,
    effectivePath: '/',
    secureTransport: false,
    loopbackSecureContext: false,
  };
}

function addRejection(list: RejectionReason[], r: RejectionReason): void {
  if (!list.includes(r)) list.push(r);
}

/**
 * Parse one raw Set-Cookie header value received in the response to `requestUrl`, at time `now`,
 * and decide what a browser does with it. Never throws.
 */
export function parseSetCookie(
  raw: string,
  requestUrl: string | URL,
  now?: Date,
  opts?: {
    /** false: work the attribute text out again instead of taking it from the memo. */ memo?: boolean;
  },
): ParsedSetCookie {
  try {
    return parse(
      typeof raw === 'string' ? raw : String(raw ?? ''),
      requestUrl instanceof URL ? requestUrl : String(requestUrl ?? ''),
      now,
      opts?.memo !== false,
    );
  } catch (err) {
    // Defensive: the algorithm below is total, but a report must never crash on one header.
    const r = emptyResult();
    r.issues = [
      { code: 'other', message: `internal parser error: ${(err as Error)?.message ?? String(err)}` },
    ];
    r.rejectedBy = ['SyntaxError'];
    return r;
  }
}

function parse(
  raw: string,
  requestUrl: string | URL,
  nowIn: Date | undefined,
  memo: boolean,
): ParsedSetCookie {
  const issues = new IssueSink();
  const rejectedBy: RejectionReason[] = [];

  // §5.6 step 1: any CTL except HTAB anywhere in the string: the browser ignores the whole header.
  let ctlAt = -1;
  let nonAscii = false;
  // Most headers hold neither: one native scan decides whether the per-character loop is needed.
  if (UNUSUAL_CHAR.test(raw))
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (ctlAt === -1 && isForbiddenCtl(c)) ctlAt = i;
      else if (c >= 0x80) nonAscii = true;
      if (ctlAt !== -1 && nonAscii) break;
    }
  if (ctlAt !== -1) {
    issues.push({
      code: 'control-character',
      message: `control character ${hex4(raw.charCodeAt(ctlAt))} at offset ${ctlAt}: browsers ignore the whole Set-Cookie (RFC 6265bis §5.6 step 1)`,
    });
    addRejection(rejectedBy, 'DisallowedCharacter');
  }
  if (nonAscii) {
    issues.push({
      code: 'non-ascii',
      message:
        'non-ASCII octets: browsers keep them as raw bytes (RFC 6265bis §5.6, no decoding), servers and proxies may not agree on their encoding',
    });
  }

  // §5.6 step 2: the name-value pair runs up to the first ';'.
  const semi = raw.indexOf(';');
  const nvp = semi === -1 ? raw : raw.slice(0, semi);
  const unparsed = semi === -1 ? '' : raw.slice(semi + 1);

  // §5.6 step 3.
  const eq = nvp.indexOf('=');
  let name: string;
  let value: string;
  if (eq === -1) {
    name = '';
    value = nvp;
  } else {
    name = nvp.slice(0, eq);
    value = nvp.slice(eq + 1);
  }
  // §5.6 step 4.
  name = trimWsp(name);
  value = trimWsp(value);
  if (eq === -1 && value !== '') {
    issues.push({
      code: 'no-equals',
      message:
        'no "=" in the name-value pair: browsers store a cookie with an empty name and this text as its value',
    });
  } else if (eq !== -1 && name === '' && value !== '') {
    issues.push({
      code: 'empty-name',
      message: 'empty cookie name: browsers store a nameless cookie that servers read unpredictably',
    });
  }
  if (name !== '') {
    // One native search finds the first separator; ':' (express:sess) is common and harmless.
    const at = name.search(NAME_SEPARATOR);
    if (at !== -1) {
      const i = at;
      issues.push({
        code: 'invalid-name',
        message: `cookie name contains ${JSON.stringify(name[i])}, which is not a token character (RFC 6265bis §4.1.1): browsers accept it, many servers do not parse it`,
      });
    }
  }

  // §5.6 step 5 and §5.7 step 4.
  // Without any octet over 0x7f (the common case, known from step 1's scan) a char is an octet.
  const size = nonAscii ? octetLength(name) + octetLength(value) : name.length + value.length;
  if (size > MAX_NAME_VALUE_OCTETS) {
    addRejection(rejectedBy, 'NameValuePairExceedsMaxSize');
    issues.push({
      code: 'other',
      message: `name + value are ${size} octets, over the ${MAX_NAME_VALUE_OCTETS}-octet limit: browsers ignore the cookie (RFC 6265bis §5.6 step 5)`,
    });
  }

  // §5.7 step 2: empty name and empty value: nothing is stored. Values made only of CTLs count as empty.
  let ignoredEntirely = false;
  if (name === '') {
    let meaningful = false;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (!isForbiddenCtl(c) && !isWsp(c)) {
        meaningful = true;
        break;
      }
    }
    if (!meaningful) {
      ignoredEntirely = true;
      if (!rejectedBy.includes('DisallowedCharacter')) addRejection(rejectedBy, 'SyntaxError');
      issues.push({
        code: 'other',
        message:
          'no cookie name and no value: browsers store nothing (RFC 6265bis §5.7 step 2; Chrome reports NoCookieContent)',
      });
    }
  }

  const facts = requestFacts(requestUrl);
  if (!facts) {
    issues.push({
      code: 'other',
      message:
        'the request URL could not be parsed: Domain, Secure-origin and default-path checks were skipped',
    });
  }

  // ---- attributes (§5.6) and the storage-model steps they decide (§5.7 steps 7-19) ----
  const part = memo
    ? attributePart(unparsed, facts, nonAscii)
    : computeAttributePart(unparsed, facts, nonAscii);
  // Frozen, so shared by every header with this attribute text (copying them costs more than the rest).
  const attrs = part.attrs;
  const evidence = part.evidence;
  const { hasMaxAge, maxAgeDelta, hasExpires, expiresAt, hasPathAttr, hostOnly, effectiveDomain } = part;
  const { secureTransport, loopbackSecureContext } = part;
  issues.replay(part.before);

  // ---- lifetime (§5.7 step 6, §5.5) ----
  let lifetime: Readonly<CookieLifetime> = SESSION_LIFETIME;
  let deletion = false;
  if (hasMaxAge) {
    if (maxAgeDelta <= 0) {
      deletion = true;
      lifetime = DELETION_LIFETIME;
    } else if (maxAgeDelta > MAX_LIFETIME_SECONDS) {
      lifetime = CAPPED_LIFETIME;
    } else {
      // The same for every header with this attribute text: made once.
      lifetime = part.maxAgeLifetime ??= Object.freeze({ kind: 'persistent', seconds: maxAgeDelta });
    }
  } else if (hasExpires) {
    const nowMs = nowIn instanceof Date && !Number.isNaN(nowIn.getTime()) ? nowIn.getTime() : Date.now();
    const seconds = Math.floor((expiresAt - nowMs) / 1000);
    if (expiresAt <= nowMs) {
      deletion = true;
      lifetime = DELETION_LIFETIME;
    } else if (seconds > MAX_LIFETIME_SECONDS) {
      lifetime = CAPPED_LIFETIME;
    } else {
      lifetime = Object.freeze({ kind: 'persistent', seconds });
    }
  }
  if (lifetime.kind === 'persistent' && lifetime.capped) {
    issues.push({
      code: 'other',
      message: 'lifetime over 400 days: browsers cap it at 400 days (RFC 6265bis §5.5)',
    });
  }

  issues.replay(part.after);
  for (let i = 0; i < part.rejections.length; i++) addRejection(rejectedBy, part.rejections[i]!);

  // ---- path (§5.7 step 11) ----
  const effectivePath = hasPathAttr && attrs.path !== undefined ? attrs.path : (facts?.defaultPath ?? '/');

  // ---- prefixes (§5.4, §5.7 steps 20-22) ----
  const lowerHead = name.slice(0, 9).toLowerCase();
  let prefix: ParsedSetCookie['prefix'] = null;
  if (lowerHead === '__secure-') {
    prefix = '__Secure-';
    if (!attrs.secure) {
      addRejection(rejectedBy, 'InvalidPrefix');
      issues.push({
        code: 'other',
        message: `${clip(name, 40)} has the __Secure- prefix but no Secure attribute: browsers ignore it (RFC 6265bis §5.7 step 20)`,
      });
    }
  } else if (lowerHead.startsWith('__host-')) {
    prefix = '__Host-';
    const problems: string[] = [];
    if (!attrs.secure) problems.push('no Secure attribute');
    if (!hostOnly) problems.push('a Domain attribute');
    if (!hasPathAttr) problems.push('no Path attribute');
    else if (effectivePath !== '/') problems.push(`Path=${clip(effectivePath)} instead of /`);
    if (problems.length > 0) {
      addRejection(rejectedBy, 'InvalidPrefix');
      issues.push({
        code: 'other',
        message: `${clip(name, 40)} has the __Host- prefix but ${problems.join(', ')}: browsers ignore it (RFC 6265bis §5.7 step 21)`,
      });
    }
  }
  if (name === '') {
    const vh = value.slice(0, 9).toLowerCase();
    if (vh === '__secure-' || vh.startsWith('__host-')) {
      addRejection(rejectedBy, 'InvalidPrefix');
      issues.push({
        code: 'other',
        message:
          'nameless cookie whose value starts with a cookie prefix: browsers ignore it (RFC 6265bis §5.7 step 22)',
      });
    }
  }

  const result: ParsedSetCookie = {
    name,
    value,
    nameless: name === '',
    attributes: attrs,
    evidence,
    lifetime,
    deletion,
    prefix,
    issues: issues.finish(),
    rejectedBy: rejectedBy.length === 0 ? NO_REJECTIONS : rejectedBy,
    size,
    ignoredEntirely,
    hostOnly,
    effectivePath,
    secureTransport,
    loopbackSecureContext,
  };
  // Conditional properties assigned, not spread: spreading builds and copies temporary objects.
  if (effectiveDomain !== undefined) result.effectiveDomain = effectiveDomain;
  if (facts) result.requestHost = facts.host;
  return result;
}

/**
 * What the attribute text of a header (everything after its first ';') decides for a response from
 * one host over one scheme: the attributes (§5.6) and the storage-model steps that depend only on
 * them and the request origin (§5.7 steps 7-19). The lifetime (it depends on the time) and the
 * name's prefix are decided per header.
 */
interface AttributePart {
  /** Frozen: the results of every header with this attribute text share them. */
  attrs: Readonly<ParsedSetCookieAttributes>;
  evidence: Readonly<ParsedSetCookieEvidence>;
  /** Issues of the attributes and duplicate attributes: they come before the lifetime's. */
  before: IssueLog;
  /** Issues of Domain, the Secure origin, SameSite and Partitioned: after the lifetime's. */
  after: IssueLog;
  rejections: RejectionReason[];
  hasPathAttr: boolean;
  hasMaxAge: boolean;
  maxAgeDelta: number;
  hasExpires: boolean;
  expiresAt: number;
  hostOnly: boolean;
  effectiveDomain: string | undefined;
  secureTransport: boolean;
  loopbackSecureContext: boolean;
  /** The default path an invalid Path attribute was replaced by (null: none was). */
  defaultPathUsed: string | null;
  /** The lifetime Max-Age gives (made on first use). */
  maxAgeLifetime?: Readonly<CookieLifetime>;
}

/** Attribute texts longer than this are not remembered (a hostile header is parsed, not kept). */
const ATTRIBUTE_MEMO_TEXT_MAX = 1024;
/** Attribute texts remembered per host and scheme (the memo is emptied when full). */
const ATTRIBUTE_MEMO_MAX = 512;

/**
 * The attribute part of a header, remembered per host and scheme: a site sends the same attribute
 * text with every response (only the cookie values change), so a run of many URLs parses it once.
 * Not remembered: headers with non-ASCII octets (their lengths are measured in octets), very long
 * ones, and those of a request URL that could not be parsed.
 */
function attributePart(unparsed: string, facts: RequestFacts | null, nonAscii: boolean): AttributePart {
  if (facts === null || nonAscii || unparsed.length > ATTRIBUTE_MEMO_TEXT_MAX)
    return computeAttributePart(unparsed, facts, nonAscii);
  const memo = facts.attributeMemo;
  const hit = memo.get(unparsed);
  if (hit !== undefined && (hit.defaultPathUsed === null || hit.defaultPathUsed === facts.defaultPath))
    return hit;
  const part = computeAttributePart(unparsed, facts, false);
  if (memo.size >= ATTRIBUTE_MEMO_MAX) memo.clear();
  memo.set(unparsed, part);
  return part;
}

function computeAttributePart(
  unparsed: string,
  facts: RequestFacts | null,
  nonAscii: boolean,
): AttributePart {
  const before = new IssueLog();
  const after = new IssueLog();
  const rejections: RejectionReason[] = [];
  let defaultPathUsed: string | null = null;
  // ---- attributes (§5.6, second algorithm) ----
  const attrs: ParsedSetCookieAttributes = {
    secure: false,
    httpOnly: false,
    sameSite: 'unset',
    partitioned: false,
  };
  const evidence: ParsedSetCookieEvidence = {};
  /** Occurrences of each known attribute, in KNOWN_ATTRIBUTES order (no Map per header). */
  const seen = [0, 0, 0, 0, 0, 0, 0, 0];
  /** Known attributes in order of first appearance (duplicates are reported in that order). */
  const seenOrder: number[] = [];
  let hasPathAttr = false;
  let hasMaxAge = false;
  let hasExpires = false;
  let hasDomain = false;
  let maxAgeDelta = 0;
  let expiresAt = 0;
  /** Attributes whose valid value was cancelled by a later invalid occurrence. */
  const cancelled: string[] = [];

  if (unparsed !== '') {
    let pos = 0;
    const len = unparsed.length;
    while (pos <= len) {
      let next = unparsed.indexOf(';', pos);
      if (next === -1) next = len;
      const av = unparsed.slice(pos, next);
      pos = next + 1;
      handleAv(av);
      if (next === len) break;
    }
  }

  function handleAv(avRaw: string): void {
    const avEq = avRaw.indexOf('=');
    const attrName = trimWsp(avEq === -1 ? avRaw : avRaw.slice(0, avEq));
    const attrValue = avEq === -1 ? '' : trimWsp(avRaw.slice(avEq + 1));
    const avText = trimWsp(avRaw);
    if (attrName === '' && attrValue === '') return; // "a=b;" or ";;": nothing to say
    // Attribute names longer than any known one cannot match: avoid lowercasing huge strings twice.
    const lname = attrName.length <= 16 ? attrName.toLowerCase() : '';
    const knownIndex = lname === '' ? -1 : KNOWN_ATTRIBUTES.indexOf(lname);
    const known = knownIndex !== -1;
    if (known && seen[knownIndex]!++ === 0) seenOrder.push(knownIndex);

    // Step 6: attribute values over 1024 octets are ignored (the cookie is kept).
    const vlen = nonAscii ? octetLength(attrValue) : attrValue.length;
    if (vlen > MAX_ATTRIBUTE_VALUE_OCTETS) {
      before.push({
        code: 'attribute-too-long',
        message: `${known ? displayName(lname) : 'an attribute'} value is ${vlen} octets, over ${MAX_ATTRIBUTE_VALUE_OCTETS}: browsers ignore this attribute (RFC 6265bis §5.6)`,
      });
      return;
    }

    switch (lname) {
      case 'expires': {
        // §5.6.1
        const d = parseCookieDate(attrValue);
        if (!d) {
          before.push({
            code: 'invalid-expires',
            message: `Expires=${clip(attrValue)} is not a cookie-date: browsers ignore the attribute (RFC 6265bis §5.6.1)`,
          });
          // Chromium decides with the LAST Expires only: an invalid one cancels an earlier valid one
          // (verified in test/cookies/chromium.test.ts). The draft would keep the earlier one.
          if (hasExpires) cancelled.push('Expires');
          hasExpires = false;
          attrs.expires = undefined;
          evidence.expires = undefined;
          return;
        }
        hasExpires = true;
        expiresAt = d.getTime();
        attrs.expires = d;
        evidence.expires = avText;
        return;
      }
      case 'max-age': {
        // §5.6.2
        const delta = parseMaxAge(attrValue);
        if (delta === null) {
          before.push({
            code: 'invalid-max-age',
            message: `Max-Age=${clip(attrValue)} is not an integer: browsers ignore the attribute (RFC 6265bis §5.6.2)`,
          });
          // As for Expires: Chromium uses the last Max-Age only, so an invalid one cancels earlier ones.
          if (hasMaxAge) cancelled.push('Max-Age');
          hasMaxAge = false;
          attrs.maxAge = undefined;
          evidence.maxAge = undefined;
          return;
        }
        hasMaxAge = true;
        maxAgeDelta = delta;
        attrs.maxAge = delta;
        evidence.maxAge = avText;
        return;
      }
      case 'domain': {
        // §5.6.3
        let d = attrValue;
        if (d.charCodeAt(0) === 0x2e) d = d.slice(1);
        attrs.domain = d.toLowerCase();
        hasDomain = true;
        evidence.domain = avText;
        return;
      }
      case 'path': {
        // §5.6.4
        hasPathAttr = true;
        evidence.path = avText;
        if (attrValue === '' || attrValue.charCodeAt(0) !== 0x2f) {
          const dp = facts ? facts.defaultPath : '/';
          defaultPathUsed = dp;
          attrs.path = dp;
          before.push({
            code: 'other',
            message: `Path=${clip(attrValue)} does not start with "/": browsers use the default path ${dp} instead (RFC 6265bis §5.6.4)`,
          });
        } else {
          attrs.path = attrValue;
        }
        return;
      }
      case 'secure':
        // §5.6.5: the value is ignored, so `Secure=false` still sets Secure.
        attrs.secure = true;
        evidence.secure = avText;
        if (attrValue !== '') {
          before.push({
            code: 'other',
            message: `"${clip(avText)}": browsers ignore the value, the cookie IS Secure (RFC 6265bis §5.6.5)`,
          });
        }
        return;
      case 'httponly':
        // §5.6.6
        attrs.httpOnly = true;
        evidence.httpOnly = avText;
        if (attrValue !== '') {
          before.push({
            code: 'other',
            message: `"${clip(avText)}": browsers ignore the value, the cookie IS HttpOnly (RFC 6265bis §5.6.6)`,
          });
        }
        return;
      case 'samesite': {
        // §5.6.7 and §5.7 step 17: the last SameSite attribute decides; unknown values mean "Default".
        const v = attrValue.toLowerCase();
        attrs.sameSite = v === 'strict' ? 'strict' : v === 'lax' ? 'lax' : v === 'none' ? 'none' : 'invalid';
        attrs.sameSiteRaw = attrValue;
        evidence.sameSite = avText;
        return;
      }
      case 'partitioned':
        attrs.partitioned = true;
        evidence.partitioned = avText;
        return;
      default: {
        const lower = lname || attrName.slice(0, 32).toLowerCase();
        if (lower === 'priority' || lower === 'comment' || lower === 'version') return; // harmless, widely sent
        before.push({
          code: 'unknown-attribute',
          message: `unknown attribute "${clip(attrName)}": browsers ignore it (RFC 6265bis §5.6 step 7)`,
        });
      }
    }
  }

  for (const k of seenOrder) {
    const count = seen[k]!;
    if (count > 1) {
      const name = displayName(KNOWN_ATTRIBUTES[k]!);
      before.push({
        code: 'duplicate-attribute',
        message: cancelled.includes(name)
          ? `${name} appears ${count} times and the last one is invalid: Chromium drops the attribute, the earlier valid ${name} no longer counts (the RFC 6265bis §5.7 algorithm would keep it)`
          : `${name} appears ${count} times: browsers use the last one (RFC 6265bis §5.7)`,
      });
    }
  }

  // ---- domain (§5.7 steps 7-10) ----
  let hostOnly = true;
  let effectiveDomain: string | undefined = facts?.host;
  let domainAttr = hasDomain ? (attrs.domain ?? '') : '';
  if (domainAttr !== '') {
    let nonChar = false;
    for (let i = 0; i < domainAttr.length; i++) {
      if (domainAttr.charCodeAt(i) > 0x7f) {
        nonChar = true;
        break;
      }
    }
    if (nonChar) {
      // Step 8.
      addRejection(rejections, 'InvalidDomain');
      after.push({
        code: 'other',
        message:
          'Domain contains non-ASCII characters: RFC 6265bis §5.7 step 8 ignores the cookie (use the punycode A-label)',
      });
    } else if (facts && (facts.isIp || isIpLiteral(domainAttr))) {
      // An IP address has no parent domain: Domain must name the host exactly, and then the cookie
      // is host-only (§5.1.3: IP addresses only domain-match themselves). No suffix list involved.
      if (domainAttr === facts.host) {
        after.push({
          code: 'other',
          message: `Domain=${clip(domainAttr)} names the IP address of the host: browsers treat the cookie as host-only (RFC 6265bis §5.1.3)`,
        });
      } else {
        addRejection(rejections, 'InvalidDomain');
        after.push({
          code: 'other',
          message: `Domain=${clip(domainAttr)} does not domain-match the host ${facts.host}: an IP address only matches itself, browsers ignore the cookie (RFC 6265bis §5.1.3, §5.7 step 10)`,
        });
      }
    } else if (facts) {
      if (isPublicSuffix(domainAttr)) {
        // Step 9.
        if (domainAttr === facts.host) {
          after.push({
            code: 'other',
            message: `Domain=${clip(domainAttr)} is a public suffix equal to the host: browsers treat the cookie as host-only (RFC 6265bis §5.7 step 9)`,
          });
          domainAttr = '';
        } else {
          addRejection(rejections, 'InvalidDomain');
          after.push({
            code: 'other',
            message: `Domain=${clip(domainAttr)} is a public suffix: browsers ignore the cookie (RFC 6265bis §5.7 step 9)`,
          });
        }
      }
      if (domainAttr !== '' && !rejections.includes('InvalidDomain')) {
        // Step 10.
        if (!domainMatches(facts.host, domainAttr)) {
          addRejection(rejections, 'InvalidDomain');
          after.push({
            code: 'other',
            message: `Domain=${clip(domainAttr)} does not domain-match the host ${facts.host}: browsers ignore the cookie (RFC 6265bis §5.7 step 10)`,
          });
        } else {
          hostOnly = false;
          effectiveDomain = domainAttr;
        }
      }
    } else {
      hostOnly = false;
      effectiveDomain = domainAttr;
    }
  }

  // ---- Secure from a non-secure origin (§5.7 step 13) ----
  const secureTransport = facts?.secure ?? false;
  let loopbackSecureContext = false;
  if (facts && !facts.secure && facts.loopback) loopbackSecureContext = true;
  if (attrs.secure && facts && !facts.secure) {
    addRejection(rejections, 'SecureOnly');
    after.push({
      code: 'other',
      message: facts.loopback
        ? 'Secure cookie from plain-HTTP loopback: Chrome and Firefox keep it (localhost is a secure context), Safari ignores it (RFC 6265bis §5.7 step 13)'
        : 'Secure cookie from a plain-HTTP response: browsers ignore it (RFC 6265bis §5.7 step 13)',
    });
  }

  // ---- SameSite=None requires Secure (§5.7 step 19) ----
  if (attrs.sameSite === 'none' && !attrs.secure) {
    addRejection(rejections, 'SameSiteNoneInsecure');
    after.push({
      code: 'other',
      message: 'SameSite=None without Secure: browsers ignore the cookie (RFC 6265bis §5.7 step 19)',
    });
  }
  if (attrs.sameSite === 'invalid') {
    after.push({
      code: 'other',
      message: `SameSite=${clip(attrs.sameSiteRaw ?? '')} is not Strict, Lax or None: browsers apply their default (Lax in Chrome) (RFC 6265bis §5.6.7)`,
    });
  }
  if (attrs.partitioned && !attrs.secure) {
    after.push({
      code: 'other',
      message: 'Partitioned without Secure: Chrome ignores the cookie (CHIPS requires Secure)',
    });
  }

  if ('expires' in attrs && attrs.expires === undefined) delete attrs.expires;
  if ('maxAge' in attrs && attrs.maxAge === undefined) delete attrs.maxAge;
  if ('expires' in evidence && evidence.expires === undefined) delete evidence.expires;
  if ('maxAge' in evidence && evidence.maxAge === undefined) delete evidence.maxAge;

  return {
    attrs: Object.freeze(attrs),
    evidence: Object.freeze(evidence),
    before,
    after,
    rejections,
    hasPathAttr,
    hasMaxAge,
    maxAgeDelta,
    hasExpires,
    expiresAt,
    hostOnly,
    effectiveDomain,
    secureTransport,
    loopbackSecureContext,
    defaultPathUsed,
  };
}

/** §5.6.2 Max-Age value: optional '-' then digits only; null when the attribute must be ignored. */
function parseMaxAge(v: string): number | null {
  if (v === '') return null;
  let i = 0;
  if (v.charCodeAt(0) === 0x2d) i = 1; // '-'
  if (i >= v.length) return null;
  for (let j = i; j < v.length; j++) if (!isDigit(v.charCodeAt(j))) return null;
  // Digits only: exact up to 2^53; longer values are clamped (the 400-day cap and the <= 0 check follow).
  return Math.max(Math.min(Number(v), Number.MAX_SAFE_INTEGER), -Number.MAX_SAFE_INTEGER);
}

function displayName(lname: string): string {
  switch (lname) {
    case 'expires':
      return 'Expires';
    case 'max-age':
      return 'Max-Age';
    case 'domain':
      return 'Domain';
    case 'path':
      return 'Path';
    case 'secure':
      return 'Secure';
    case 'httponly':
      return 'HttpOnly';
    case 'samesite':
      return 'SameSite';
    case 'partitioned':
      return 'Partitioned';
    default:
      return lname;
  }
}

/**
 * Shorten attribute text for a message (attribute values are not secrets, but can be huge) and
 * escape control characters so a message can never drive a terminal.
 */
function clip(s: string, max = 60): string {
  const short = s.length > max ? s.slice(0, max) + '…' : s;
  let out = '';
  for (let i = 0; i < short.length; i++) {
    const c = short.charCodeAt(i);
    out +=
      c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? '\\x' + c.toString(16).padStart(2, '0') : short[i];
  }
  return out;
}
